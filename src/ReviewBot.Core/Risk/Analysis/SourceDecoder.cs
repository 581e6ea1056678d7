using System.Text;

namespace ReviewBot.Core.Risk.Analysis;

/// <summary>
/// Bytes → text, recognised by decoding rather than by git's binary flag (a NUL in a comment or UTF-16 makes git call
/// a source file binary): BOMs first (UTF-8, UTF-16 LE/BE), then UTF-16 without a BOM when every other byte is NUL,
/// then strict UTF-8 (stray NULs are valid UTF-8 and stay in the text), then Latin-1 as the lossless fallback (with a
/// note). Whether the result is text at all is <see cref="IsText"/>'s question.
/// </summary>
internal static class SourceDecoder
{
    /// <summary>Control characters that text does not contain (tab, line and page breaks and NUL excepted).</summary>
    private static readonly System.Buffers.SearchValues<char> ControlCharacters = System.Buffers.SearchValues.Create(
        Enumerable.Range(1, 31).Select(c => (char)c).Where(c => c is not '\t' and not '\n' and not '\r' and not '\f' and not '\v').ToArray());

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

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
        else if (Utf16WithoutBom(bytes) is { } utf16)
        {
            note = "UTF-16 without a byte-order mark: decoded as such";
            return utf16.GetString(bytes);
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

    /// <summary>
    /// Text, not data: at most one character in ten (of the first 64 K) is a control character other than tab, line
    /// and page breaks and NUL. Source code of any language passes; images, archives and compiled code do not.
    /// </summary>
    public static bool IsText(string text)
    {
        var head = text.AsSpan(0, Math.Min(text.Length, 65536));
        if (!head.ContainsAny(ControlCharacters))
        {
            return true; // the usual source file: one vectorised search
        }

        var control = 0;
        foreach (var c in head)
        {
            if (c < ' ' && c is not '\t' and not '\n' and not '\r' and not '\f' and not '\v' and not '\0')
            {
                control++;
            }
        }

        return control * 10 <= head.Length;
    }

    /// <summary>UTF-16 LE or BE without a BOM: an even length and NULs in (nearly) every odd, or every even, byte of the start.</summary>
    private static Encoding? Utf16WithoutBom(ReadOnlySpan<byte> bytes)
    {
        var head = bytes[..(Math.Min(bytes.Length, 4096) & ~1)];
        if (head.Length < 4 || bytes.Length % 2 != 0)
        {
            return null;
        }

        int evenNul = 0, oddNul = 0;
        for (var i = 0; i < head.Length; i += 2)
        {
            evenNul += head[i] == 0 ? 1 : 0;
            oddNul += head[i + 1] == 0 ? 1 : 0;
        }

        var pairs = head.Length / 2;
        return oddNul * 10 >= pairs * 9 && evenNul * 10 < pairs ? Encoding.Unicode
            : evenNul * 10 >= pairs * 9 && oddNul * 10 < pairs ? Encoding.BigEndianUnicode
            : null;
    }
}
