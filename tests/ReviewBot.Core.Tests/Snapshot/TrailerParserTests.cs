using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Tests.Snapshot;

public sealed class TrailerParserTests
{
    /// <summary>Message → expected trailers, one "Key: value" per entry, joined by '|'. Empty: no trailers.</summary>
    public static TheoryData<string, string, string> Cases => new()
    {
        { "co-author trailer in the last paragraph",
          "Add parser\n\nBody text.\n\nCo-authored-by: Claude <noreply@anthropic.com>\n",
          "Co-authored-by: Claude <noreply@anthropic.com>" },
        { "several trailers in order",
          "Fix\n\nSigned-off-by: A <a@x>\nCo-authored-by: B <b@x>\nGenerated-by: acme-agent\n",
          "Signed-off-by: A <a@x>|Co-authored-by: B <b@x>|Generated-by: acme-agent" },
        { "subject only",
          "Just a subject line", "" },
        { "the title paragraph is never a trailer block",
          "Co-authored-by: Claude <noreply@anthropic.com>\n", "" },
        { "a single paragraph (title plus lines) has no trailers",
          "Subject\nCo-authored-by: X <x@y>\n", "" },
        { "Note: in a body paragraph is not a trailer",
          "Subject\n\nNote: this changes the API.\nCallers must update.\n\nThanks for reading the long explanation\nof why.\n", "" },
        { "prose last paragraph starting with Note: is not a trailer block",
          "Subject\n\nNote: this changes the API and callers\nmust be updated before release.\n", "" },
        { "Note: in the body does not hide real trailers below",
          "Subject\n\nNote: body text here.\n\nReviewed-by: R <r@x>\n",
          "Reviewed-by: R <r@x>" },
        { "continuation lines fold into the value",
          "Subject\n\nCo-authored-by: Someone\n  <someone@example.com>\nX-Tag: a\n",
          "Co-authored-by: Someone <someone@example.com>|X-Tag: a" },
        { "token with spaces is not a trailer",
          "Subject\n\nSee also: the docs\n", "" },
        { "space before the separator is allowed and trimmed",
          "Subject\n\nBug  : 123\n", "Bug: 123" },
        { "leading whitespace is not a trailer start",
          "Subject\n\n  Key: value\n", "" },
        { "empty token is not a trailer",
          "Subject\n\n: value\n", "" },
        { "url-like value keeps its colons",
          "Subject\n\nLink: https://example.com/a:b\n", "Link: https://example.com/a:b" },
        { "a quarter trailers with a git-generated one makes a block; other lines are dropped",
          "Subject\n\nSome free text line\nSigned-off-by: A <a@x>\nmore text\n", "Signed-off-by: A <a@x>" },
        { "mixed block without a git-generated trailer is not a block",
          "Subject\n\nSome free text line\nCo-authored-by: A <a@x>\n", "" },
        { "cherry-pick line counts as git-generated but is not emitted",
          "Subject\n\n(cherry picked from commit 0123456789abcdef)\nsome note\nCo-authored-by: A <a@x>\n",
          "Co-authored-by: A <a@x>" },
        { "trailing comments and blank lines are ignored",
          "Subject\n\nCo-authored-by: A <a@x>\n\n# Please enter the commit message\n#\n\n", "Co-authored-by: A <a@x>" },
        { "comment lines inside the block are skipped",
          "Subject\n\nA-Key: 1\n# comment\nB-Key: 2\n", "A-Key: 1|B-Key: 2" },
        { "everything below the scissors line is ignored",
          "Subject\n\nFixes: 1\n# ------------------------ >8 ------------------------\nDiff-Key: x\n", "Fixes: 1" },
        { "patch after a --- divider is ignored",
          "Subject\n\nSigned-off-by: A <a@x>\n---\n a.txt | 2 +-\n\ndiff --git a/a.txt b/a.txt\n@@ -1 +1 @@\n-x\n+y\n",
          "Signed-off-by: A <a@x>" },
        { "a --- line without a patch is just text",
          "Subject\n\n---\n\nCo-authored-by: A <a@x>\n", "Co-authored-by: A <a@x>" },
        { "squash message separators do not hide co-authors",
          "Feature (#12)\n\n* first\n\n* second\n\n---------\n\nCo-authored-by: copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>\nCo-authored-by: alice <alice@example.com>\n",
          "Co-authored-by: copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>|Co-authored-by: alice <alice@example.com>" },
        { "CRLF line endings",
          "Subject\r\n\r\nCo-authored-by: A <a@x>\r\n", "Co-authored-by: A <a@x>" },
        { "empty value",
          "Subject\n\nAcked-by:\n", "Acked-by: " },
        { "unicode token characters are not token characters",
          "Subject\n\nCo-authörd-by: A\n", "" },
        { "trailing blank lines before the block end",
          "Subject\n\nbody\n\nKey: v\n\n\n\n", "Key: v" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parses_trailers_like_git(string name, string message, string expected)
    {
        var actual = string.Join("|", TrailerParser.Parse(message).Select(t => t.ToString()));
        Assert.True(expected == actual, $"{name}: expected [{expected}] but got [{actual}]");
    }

    [Fact]
    public void Empty_and_null_messages_have_no_trailers()
    {
        Assert.Empty(TrailerParser.Parse(null));
        Assert.Empty(TrailerParser.Parse(""));
        Assert.Empty(TrailerParser.Parse("\n\n"));
    }

    [Fact]
    public void Keys_keep_their_spelling()
    {
        var trailer = Assert.Single(TrailerParser.Parse("S\n\nco-AUTHORED-by: x\n"));
        Assert.Equal("co-AUTHORED-by", trailer.Key);
        Assert.Equal("x", trailer.Value);
    }
}
