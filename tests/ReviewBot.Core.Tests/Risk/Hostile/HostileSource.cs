using System.Text;

namespace ReviewBot.Core.Tests.Risk.Hostile;

/// <summary>
/// A seeded generator of hostile C#: deep nesting of every kind the parser recurses on, long chains, bracket soup,
/// broken strings and comments, deep and wide <c>#if</c>, encodings (UTF-16 with and without BOM, stray NULs,
/// invalid UTF-8, random bytes) and size. The same seed gives the same corpus, so a failure replays exactly.
/// </summary>
public static class HostileSource
{
    public sealed record Sample(string Name, byte[] Bytes);

    private static readonly Func<Random, string>[] Shapes =
    [
        r => Member($"object M() => {Nest(r.Next(50, 3000), "(", ")", "x")};"),
        r => Member($"string M() => {Nest(r.Next(10, 600), "$\"{", "}\"", "1")};"),
        r => Member($"object M() => {Nest(r.Next(10, 400), "$$\"\"\"{{", "}}\"\"\"", "1")};"),
        r => Member($"object M() => {Repeat("x => ", r.Next(100, 20000))}1;"),
        r => Member($"string M() => {string.Join(" + ", Enumerable.Repeat("\"a\"", r.Next(1000, 60000)))};"),
        r => Member($"object M() => {Repeat("a ? b : ", r.Next(100, 20000))}c;"),
        r => Member($"object M() => {new string('!', r.Next(100, 50000))}x;"),
        r => Member($"void M() {{ {Repeat("if (a) ", r.Next(100, 20000))}x(); }}"),
        r => Member($"bool M(object o) => o is {Nest(r.Next(10, 2000), "{ A: ", " }", "1")};"),
        r => Member($"object M() => {Nest(r.Next(10, 2000), "new[] { ", " }", "1")};"),
        r => Nest(r.Next(10, 3000), "namespace N { class C { ", " } }", ""),
        r => Member($"void M() {Nest(r.Next(10, 5000), "{ ", " }", "")}"),
        r => Member($"void M() {{ var x = {Repeat("A<", r.Next(10, 3000))}int{new string('>', r.Next(10, 3000))}.B; }}"),
        r => Soup(r, "([{}])\"'$@/*\\\n;:?=><!", r.Next(1000, 100_000)),
        r => Soup(r, "abcXYZ_0123 .,;(){}[]\"'\n#", r.Next(1000, 100_000)),
        r => Nest(r.Next(10, 3000), "#if A\n", "#endif\n", "class C { }\n"),
        r => string.Concat(Enumerable.Range(0, r.Next(20, 200)).Select(i => $"#if S{i}\nclass C{i} {{ void M() {{ System.Diagnostics.Process.Start(\"x\"); }} }}\n#endif\n")),
        r => Member("string M() => \"unterminated;\n" + Repeat("/* open ", r.Next(10, 5000)) + "@\"\"\"\n $\"{"),
        r => Member($"int M() => 1;{new string(' ', r.Next(1000, 200_000))}// one very long line"),
        _ => Member("void M() { System.Security.Cryptography.MD5.Create(); }"),
    ];

    /// <summary><paramref name="count"/> samples from <paramref name="seed"/>; every shape is drawn in turn, then encoded one of several ways.</summary>
    public static IReadOnlyList<Sample> Corpus(int seed, int count)
    {
        var random = new Random(seed);
        var samples = new List<Sample>();
        for (var i = 0; i < count; i++)
        {
            var shape = i % Shapes.Length;
            var text = Shapes[shape](random);
            var (encoding, bytes) = Encode(random, text);
            samples.Add(new Sample($"seed {seed} #{i}: shape {shape}, {encoding}, {bytes.Length} bytes", bytes));
        }

        return samples;
    }

    private static (string, byte[]) Encode(Random random, string text)
    {
        switch (random.Next(8))
        {
            case 0:
                return ("UTF-16 LE with BOM", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text)]);
            case 1:
                return ("UTF-16 LE without BOM", Encoding.Unicode.GetBytes(text));
            case 2:
                var withNuls = Encoding.UTF8.GetBytes(text);
                for (var k = 0; k < 5 && withNuls.Length > 0; k++)
                {
                    withNuls[random.Next(withNuls.Length)] = 0;
                }

                return ("UTF-8 with stray NULs", withNuls);
            case 3:
                var invalid = Encoding.UTF8.GetBytes(text);
                for (var k = 0; k < 5 && invalid.Length > 0; k++)
                {
                    invalid[random.Next(invalid.Length)] = 0xC3;
                }

                return ("invalid UTF-8", invalid);
            case 4:
                var noise = new byte[Math.Min(text.Length, 50_000)];
                random.NextBytes(noise);
                return ("random bytes", noise);
            default:
                return ("UTF-8", Encoding.UTF8.GetBytes(text));
        }
    }

    private static string Member(string member) => "namespace Hostile;\n\npublic class Sample\n{\n    public " + member + "\n}\n";

    private static string Nest(int depth, string open, string close, string inner)
    {
        var sb = new StringBuilder(depth * (open.Length + close.Length) + inner.Length);
        for (var i = 0; i < depth; i++)
        {
            sb.Append(open);
        }

        sb.Append(inner);
        for (var i = 0; i < depth; i++)
        {
            sb.Append(close);
        }

        return sb.ToString();
    }

    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();

    private static string Soup(Random random, string alphabet, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = alphabet[random.Next(alphabet.Length)];
        }

        return Member("void M() { " + new string(chars) + " }");
    }
}
