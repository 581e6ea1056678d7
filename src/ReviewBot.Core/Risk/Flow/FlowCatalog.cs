namespace ReviewBot.Core.Risk.Flow;

/// <summary>
/// The names the flow pass recognises without types: what reads attacker-writable data (sources), what makes data
/// harmless (sanitizers, validations), and what passes data on (string building). Matched on the called or accessed
/// name, with the receiver where a name alone would be ambiguous.
/// </summary>
internal static class FlowCatalog
{
    /// <summary>Calls whose result is read from outside the process, whatever the receiver (a reader, a client, a command).</summary>
    public static readonly HashSet<string> SourceCalls = new(StringComparer.Ordinal)
    {
        "ReadLine", "ReadLineAsync", "ReadToEnd", "ReadToEndAsync", "ReadAllText", "ReadAllTextAsync", "ReadAllLines", "ReadAllLinesAsync",
        "ReadAllBytes", "ReadAllBytesAsync",
        "ReadLines", "GetEnvironmentVariable", "GetEnvironmentVariables", "GetCommandLineArgs", "DownloadString", "DownloadStringAsync",
        "DownloadStringTaskAsync", "DownloadData", "UploadString", "GetStringAsync", "GetByteArrayAsync", "ReadAsStringAsync",
        "ReadAsByteArrayAsync", "ReadFromJsonAsync", "GetFromJsonAsync", "ExecuteScalar", "ExecuteScalarAsync", "GetFieldValue",
        "GetValue", "Deserialize", "DeserializeObject", "DeserializeAsync", "ReadFormAsync", "GetQueryNameValuePairs",
    };

    /// <summary>Data-reader column reads: a source when the receiver is not an encoding or a type.</summary>
    public static readonly HashSet<string> ColumnReads = new(StringComparer.Ordinal) { "GetString", "GetChars", "GetSqlString" };

    /// <summary>Members of a request object that carry what the client sent.</summary>
    public static readonly HashSet<string> RequestMembers = new(StringComparer.Ordinal)
    {
        "QueryString", "Query", "Form", "Headers", "Cookies", "Params", "RouteValues", "Body", "BodyReader", "ServerVariables", "Files",
        "RawUrl", "Url", "UrlReferrer", "UserAgent", "PathInfo", "Path", "PathBase", "InputStream", "UserHostName",
    };

    /// <summary>Receiver names that denote the current HTTP request.</summary>
    public static bool IsRequestName(string? name)
        => name is "Request" or "request" or "req" or "Req" or "httpRequest" or "HttpRequest";

    /// <summary>Calls that fill their first argument (a buffer) with data read from outside.</summary>
    public static readonly HashSet<string> BufferReads = new(StringComparer.Ordinal)
    {
        "Read", "ReadAsync", "Receive", "ReceiveAsync", "ReceiveFrom", "ReadBlock", "ReadExactly", "ReadAtLeast",
    };

    /// <summary>Encoders and escapers: their result is safe to embed in the text they encode for.</summary>
    public static readonly HashSet<string> Encoders = new(StringComparer.Ordinal)
    {
        "HtmlEncode", "HtmlAttributeEncode", "UrlEncode", "UrlPathEncode", "JavaScriptStringEncode", "EscapeDataString", "EscapeUriString",
        "Escape", "EscapeLdapFilter", "EscapeLdapDN", "LdapFilterEncode", "LdapDistinguishedNameEncode", "XmlEncode", "XmlAttributeEncode",
        "Quote", "EscapeXml", "SanitizeHtml", "Sanitize", "ComputeHash", "HashData", "ToBase64String", "ToHexString", "ToHexStringLower",
    };

    /// <summary>Receivers of numeric (and other non-text) parses: <c>int.Parse(x)</c> can only give a number.</summary>
    public static readonly HashSet<string> ParsedTypes = new(StringComparer.Ordinal)
    {
        "int", "long", "short", "byte", "uint", "ulong", "ushort", "sbyte", "decimal", "double", "float", "bool", "Int32", "Int64", "Int16",
        "UInt32", "UInt64", "UInt16", "Byte", "SByte", "Decimal", "Double", "Single", "Boolean", "Guid", "DateTime", "DateTimeOffset",
        "TimeSpan", "DateOnly", "TimeOnly", "BigInteger",
    };

    /// <summary><c>Convert.ToInt32(x)</c> and friends: a number, whatever x held.</summary>
    public static bool IsNumericConversion(string name, string? receiver)
        => receiver is "Convert" && name is not ("ToString" or "ToBase64String" or "FromBase64String" or "ToHexString" or "FromHexString");

    /// <summary>Path and URI calls whose result cannot leave the folder or host the caller chose.</summary>
    public static readonly HashSet<string> PathSanitizers = new(StringComparer.Ordinal) { "GetFileName", "GetFileNameWithoutExtension", "GetExtension" };

    /// <summary>Checks that, when they hold, make the checked value acceptable: allow-lists, patterns, URI and path checks, parses.</summary>
    public static readonly HashSet<string> Validations = new(StringComparer.Ordinal)
    {
        "Contains", "ContainsKey", "ContainsValue", "IsMatch", "IsWellFormedUriString", "TryCreate", "IsLocalUrl", "IsBaseOf", "StartsWith",
        "Equals", "TryParse", "TryParseExact", "Any", "Exists", "IsValid", "Validate", "IsAllowed", "IsSafe", "IsDefined",
    };

    /// <summary>String building and reshaping: the result carries what went in (receiver and arguments).</summary>
    public static readonly HashSet<string> Propagators = new(StringComparer.Ordinal)
    {
        "Concat", "Format", "Join", "ToString", "Trim", "TrimStart", "TrimEnd", "ToUpper", "ToLower", "ToUpperInvariant", "ToLowerInvariant",
        "Substring", "Replace", "Split", "Insert", "Remove", "PadLeft", "PadRight", "Normalize", "ToCharArray", "AsSpan", "AsMemory",
        "GetBytes", "Append", "AppendLine", "AppendFormat", "AppendJoin", "Combine", "GetFullPath", "First", "FirstOrDefault",
        "Last", "LastOrDefault", "Single", "SingleOrDefault", "ElementAt", "ToArray", "ToList", "Take", "Skip", "Where", "Select",
        "Unwrap", "Result", "GetAwaiter", "GetResult", "ConfigureAwait", "Clone", "Copy", "CopyTo", "Create", "Parse",
        "FromBase64String", "Decode", "UrlDecode", "HtmlDecode", "UnescapeDataString", "GetStream",
    };

    /// <summary>Calls that only answer a yes/no or a count: the result carries nothing of the input.</summary>
    public static readonly HashSet<string> Predicates = new(StringComparer.Ordinal)
    {
        "Contains", "ContainsKey", "StartsWith", "EndsWith", "Equals", "IsMatch", "Any", "All", "Exists", "Count", "IndexOf", "LastIndexOf",
        "CompareTo", "Compare", "GetHashCode", "IsNullOrEmpty", "IsNullOrWhiteSpace", "GetLength", "LongCount",
    };

    /// <summary>
    /// Lookups that hand out, through an <c>out</c> argument, an element the receiver holds: what comes out is what was
    /// stored (the receiver's data), not the key asked for (<c>sessions.TryGetValue(id, out var session)</c>).
    /// </summary>
    public static readonly HashSet<string> Lookups = new(StringComparer.Ordinal)
    {
        "TryGetValue", "TryRemove", "TryDequeue", "TryPeek", "TryPop", "TryTake",
    };

    /// <summary>Calls that add their arguments to the receiver (a builder, a list, a writer, a parameter collection).</summary>
    public static readonly HashSet<string> Absorbing = new(StringComparer.Ordinal)
    {
        "Append", "AppendLine", "AppendFormat", "AppendJoin", "Insert", "Add", "AddRange", "Push", "Enqueue", "Write", "WriteLine", "Set",
    };

    /// <summary>Members of well-known types that are constants in all but name.</summary>
    public static readonly HashSet<string> ConstantMembers = new(StringComparer.Ordinal)
    {
        "string.Empty", "String.Empty", "Environment.NewLine", "Path.DirectorySeparatorChar", "Path.AltDirectorySeparatorChar",
        "Path.PathSeparator", "Path.VolumeSeparatorChar", "Guid.Empty", "int.MaxValue", "int.MinValue", "Encoding.UTF8",
        "Encoding.ASCII", "Encoding.Unicode", "StringComparison.Ordinal", "StringComparison.OrdinalIgnoreCase",
    };

    /// <summary>Types whose values cannot carry injected text (a declared local of one of them is harmless data).</summary>
    public static readonly HashSet<string> NonTextTypes = new(StringComparer.Ordinal)
    {
        "int", "long", "short", "byte", "uint", "ulong", "ushort", "sbyte", "decimal", "double", "float", "bool", "char", "Int32", "Int64",
        "Int16", "UInt32", "UInt64", "UInt16", "Byte", "SByte", "Decimal", "Double", "Single", "Boolean", "Guid", "DateTime",
        "DateTimeOffset", "TimeSpan", "DateOnly", "TimeOnly", "int?", "long?", "double?", "decimal?", "bool?", "Guid?", "DateTime?",
    };
}
