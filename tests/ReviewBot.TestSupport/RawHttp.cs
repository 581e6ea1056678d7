using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ReviewBot.TestSupport;

/// <summary>HTTP/1.1 by hand, for what HttpClient will not send: a request that promises a body and never sends it.</summary>
public static class RawHttp
{
    /// <summary>
    /// Sends a POST's headers to 127.0.0.1:<paramref name="port"/> declaring <paramref name="contentLength"/> bytes,
    /// sends none of them, and returns the status code of the answer (which must not wait for the body).
    /// </summary>
    public static async Task<HttpStatusCode> PostHeadersOnlyAsync(int port, string path, IEnumerable<(string Name, string Value)> headers, long contentLength, TimeSpan timeout)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        var head = new StringBuilder($"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {contentLength}\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync().WaitAsync(timeout) ?? "";
        return (HttpStatusCode)int.Parse(statusLine.Split(' ')[1], CultureInfo.InvariantCulture);
    }
}
