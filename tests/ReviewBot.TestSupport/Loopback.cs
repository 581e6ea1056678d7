using System.Net;
using System.Net.Sockets;

namespace ReviewBot.TestSupport;

/// <summary>Loopback helpers for tests that start real servers (Prism, Azurite, a published host).</summary>
public static class Loopback
{
    /// <summary>A TCP port on 127.0.0.1 that is free right now (the OS picks it).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
