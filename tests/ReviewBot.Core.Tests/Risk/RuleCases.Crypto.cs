namespace ReviewBot.Core.Tests.Risk;

public static partial class RuleCases
{
    private static void Crypto()
    {
        // RB2001 TLS validation
        PositiveAndInBase("RB2001", "callback returning true", Cs("Net/ClientFactory.cs",
            InMethod("        var handler = new HttpClientHandler();"),
            InMethod("        var handler = new HttpClientHandler();\n        handler.ServerCertificateCustomValidationCallback = (m, c, ch, e) => true; //!\n        ServicePointManager.ServerCertificateValidationCallback += delegate { return true; }; //!")));
        PositiveAndInBase("RB2001", "DangerousAcceptAnyServerCertificateValidator", Cs("Net/ClientFactory.cs",
            InMethod("        var handler = new HttpClientHandler();"),
            InMethod("        var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator }; //!")));
        Negative("RB2001", "callback that checks errors", Cs("Net/ClientFactory.cs",
            InMethod("        var handler = new HttpClientHandler();"),
            InMethod("        var handler = new HttpClientHandler();\n        handler.ServerCertificateCustomValidationCallback = (m, c, ch, e) => e == SslPolicyErrors.None;")));

        // RB2002 weak hash
        PositiveAndInBase("RB2002", "MD5 and SHA1", Cs("Util/Hashing.cs",
            InMethod("        var h = SHA256.Create();"),
            InMethod("        var h = SHA256.Create();\n        var m = MD5.Create(); //!\n        var s = new SHA1Managed(); //!\n        var d = SHA1.HashData(new byte[1]); //!")));
        Negative("RB2002", "SHA-256", Cs("Util/Hashing.cs",
            InMethod("        var h = 1;"),
            InMethod("        var h = SHA256.HashData(new byte[1]);")));

        // RB2003 weak cipher
        PositiveAndInBase("RB2003", "DES and 3DES", Cs("Util/Cipher.cs",
            InMethod("        using var aes = Aes.Create();"),
            InMethod("        using var aes = Aes.Create();\n        using var des = DES.Create(); //!\n        using var tdes = new TripleDESCryptoServiceProvider(); //!")));
        Negative("RB2003", "AES-GCM", Cs("Util/Cipher.cs",
            InMethod("        var x = 1;"),
            InMethod("        using var gcm = new AesGcm(new byte[32], 16);")));

        // RB2004 cipher mode
        PositiveAndInBase("RB2004", "ECB and PKCS#1", Cs("Util/Cipher.cs",
            InMethod("        using var aes = Aes.Create();"),
            InMethod("        using var aes = Aes.Create();\n        aes.Mode = CipherMode.ECB; //!\n        var c = rsa.Encrypt(data, RSAEncryptionPadding.Pkcs1); //!")));
        Negative("RB2004", "CBC with PKCS7 and OAEP", Cs("Util/Cipher.cs",
            InMethod("        using var aes = Aes.Create();"),
            InMethod("        using var aes = Aes.Create();\n        aes.Mode = CipherMode.CBC;\n        aes.Padding = PaddingMode.PKCS7;\n        var c = rsa.Encrypt(data, RSAEncryptionPadding.OaepSHA256);")));

        // RB2005 insecure random
        PositiveAndInBase("RB2005", "Random for a reset token", Cs("Auth/Tokens.cs",
            InMethod("        var n = 1;"),
            InMethod("        var n = 1;\n        var resetToken = new Random().Next(100000, 999999).ToString(); //!")));
        Negative("RB2005", "Random for a shuffle", Cs("Game/Deck.cs",
            InMethod("        var n = 1;"),
            InMethod("        var n = 1;\n        var order = new Random(42).Next(0, 52);")));
        Negative("RB2005", "Guid and jitter next to a cancellation token", Cs("Jobs/Worker.cs",
            InMethod("        var n = 1;"),
            InMethod("        var n = 1;\n        var owner = $\"worker/{Guid.NewGuid():N}\"; Claim(owner, cancellationToken);\n        Task.Delay(Random.Shared.Next(1, 5), cancellationToken);")));

        // RB2009 encryption step missing
        PositiveAndInBase("RB2009", "encryptor never used, writer over a CryptoStream never written", Cs("Util/Cipher.cs",
            InMethod("        using var aes = Aes.Create();"),
            InMethod("        using var aes = Aes.Create();\n        ICryptoTransform encryptor = aes.CreateEncryptor(aes.Key, aes.IV); //!\n        using var ms = new MemoryStream();\n        using (var sw = new StreamWriter(ms))\n        {\n            sw.Write(plainText);\n        }\n\n        using var cs = new CryptoStream(output, aes.CreateEncryptor(), CryptoStreamMode.Write);\n        using (var writer = new StreamWriter(cs)) //!\n        {\n        }")));
        Negative("RB2009", "encryptor passed to a CryptoStream that is written", Cs("Util/Cipher.cs",
            InMethod("        using var aes = Aes.Create();"),
            InMethod("        using var aes = Aes.Create();\n        var encryptor = aes.CreateEncryptor(aes.Key, aes.IV);\n        using var ms = new MemoryStream();\n        using (var cs = new CryptoStream(ms, encryptor, CryptoStreamMode.Write))\n        using (var sw = new StreamWriter(cs))\n        {\n            sw.Write(plainText);\n        }\n\n        var sink = new StreamWriter(ms);")));

        Negative("RB2009", "encryptor kept in a field and used by another method", Cs("Util/Sealer.cs",
            "using System.Security.Cryptography;\n\npublic sealed class Sealer\n{\n}\n",
            "using System.Security.Cryptography;\n\npublic sealed class Sealer\n{\n    private readonly ICryptoTransform _encryptor = Aes.Create().CreateEncryptor();\n\n    public byte[] Seal(byte[] data) => _encryptor.TransformFinalBlock(data, 0, data.Length);\n}\n"));

        // RB2006 hard-coded credential
        PositiveAndInBase("RB2006", "password field, connection string, NetworkCredential", Cs("Data/Db.cs",
            InMethod("        var user = \"app\";"),
            InMethod("        var user = \"app\";\n        var dbPassword = \"S3cr3t!2024\"; //!\n        var cs = \"Server=db;User Id=sa;Password=hunter22;\"; //!\n        var cred = new NetworkCredential(\"svc\", \"Pa55word!\"); //!")));
        Negative("RB2006", "password from configuration, header names", Cs("Data/Db.cs",
            InMethod("        var user = \"app\";"),
            InMethod("        var user = \"app\";\n        var dbPassword = config[\"Db:Password\"];\n        const string TokenHeaderName = \"X-Api-Token\";\n        var cs = \"Server=db;Password={password}\";")));
        PositiveAndInBase("RB2006", "PEM private key", Cs("Auth/Keys.cs",
            InMethod("        var x = 1;"),
            InMethod("        var x = 1;\n        const string Pem = \"-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEA7vbqajDw4o6gJy8UtmIbkcpnkO3Kwc4qsEnSZp/TR+fQi62F\"; //!")));
        Negative("RB2006", "a regex that finds PEM keys", Cs("Util/Redactor.cs",
            InMethod("        var x = 1;"),
            InMethod("        var pattern = @\"-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?-----END\";")));
        Negative("RB2006", "test code is not checked", Cs("tests/Acme.Tests/DbTests.cs",
            InMethod("        var user = \"app\";"),
            InMethod("        var user = \"app\";\n        var dbPassword = \"S3cr3t!2024\";")));

        // RB2007 deprecated TLS
        PositiveAndInBase("RB2007", "TLS 1.0 enabled", Cs("Net/Setup.cs",
            InMethod("        var x = 1;"),
            InMethod("        var x = 1;\n        ServicePointManager.SecurityProtocol = SecurityProtocolType.Tls | SecurityProtocolType.Tls12; //!")));
        Negative("RB2007", "TLS 1.3", Cs("Net/Setup.cs",
            InMethod("        var x = 1;"),
            InMethod("        var o = new SslClientAuthenticationOptions { EnabledSslProtocols = SslProtocols.Tls13 };")));
    }
}
