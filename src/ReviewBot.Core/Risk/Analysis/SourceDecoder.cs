using System.Text;

namespace ReviewBot.Core.Risk.Analysis;

/// <summary>Bytes → text: BOM-aware, strict UTF-8 first, Latin-1 as the lossless fallback (with a note).</summary>
internal static class SourceDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool LooksBinary(ReadOnlySpan<byte> bytes)
    {
        var head = bytes[..Math.Min(bytes.Length, 8000)];
        if (head.Length >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)))
        {
            return false; // UTF-16 text has NULs by design
        }

        return head.IndexOf((byte)0) >= 0;
    }

    /// <summary>Decodes; <paramref name="note"/> says how when it was not plain UTF-8.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, out string? note)
    {
        note = null;
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
        {
            bytes = bytes[3..];
        }
        else if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE)
        {
            return Encoding.Unicode.GetString(bytes[2..]);
        }
        else if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF)
        {
            return Encoding.BigEndianUnicode.GetString(bytes[2..]);
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            note = "not valid UTF-8: read as Latin-1";
            return Encoding.Latin1.GetString(bytes);
        }
    }
}
