namespace ReviewBot.Core.Tests.Risk;

public static partial class RuleCases
{
    private const string Controller = """
        using Microsoft.AspNetCore.Authorization;
        using Microsoft.AspNetCore.Mvc;

        namespace Acme.Api;

        [ApiController]
        [Route("orders")]
        public class OrdersController : ControllerBase
        {
            [Authorize(Roles = "Admin")]
            [HttpDelete("{id}")]
            public IActionResult Delete(int id) => NoContent();

            [HttpGet]
            public IActionResult List() => Ok();
        }
        """;

    private static void Web()
    {
        // RB1001 authorization removed
        Positive("RB1001", "[Authorize] removed from an action", Cs("Api/OrdersController.cs",
            Controller.Replace("[Authorize(Roles = \"Admin\")]", "[Authorize(Roles = \"Admin\")] //!"),
            Controller.Replace("    [Authorize(Roles = \"Admin\")]\n", "")));
        Positive("RB1001", "RequireAuthorization() removed from an endpoint", Cs("Program.cs",
            "var app = WebApplication.Create();\napp.UseAuthorization();\napp.MapGet(\"/admin\", () => \"secret\").RequireAuthorization(); //!\napp.Run();\n",
            "var app = WebApplication.Create();\napp.UseAuthorization();\napp.MapGet(\"/admin\", () => \"secret\");\napp.Run();\n"));
        Negative("RB1001", "[Authorize] kept while the action changes", Cs("Api/OrdersController.cs",
            Controller, Controller.Replace("NoContent()", "Accepted()")));
        Negative("RB1001", "whole controller deleted", Cs("Api/OrdersController.cs", Controller, null));
        InBase("RB1001", "action never had [Authorize]", Cs("Api/OrdersController.cs",
            Controller.Replace("    [Authorize(Roles = \"Admin\")]\n", ""),
            Controller.Replace("    [Authorize(Roles = \"Admin\")]\n", "").Replace("NoContent()", "Accepted()")));

        // RB1002 anonymous access added
        PositiveAndInBase("RB1002", "[AllowAnonymous] added to an action", Cs("Api/OrdersController.cs",
            Controller, Controller.Replace("    [HttpGet]\n", "    [AllowAnonymous] //!\n    [HttpGet]\n")));
        PositiveAndInBase("RB1002", ".AllowAnonymous() added to a minimal API", Cs("Program.cs",
            "var app = WebApplication.Create();\napp.MapGet(\"/health\", () => \"ok\");\n",
            "var app = WebApplication.Create();\napp.MapGet(\"/health\", () => \"ok\");\napp.MapGet(\"/debug\", () => \"x\").AllowAnonymous(); //!\n"));
        Negative("RB1002", "[Authorize] added", Cs("Api/OrdersController.cs",
            Controller, Controller.Replace("    [HttpGet]\n", "    [Authorize]\n    [HttpGet]\n")));

        // RB1003 CSRF
        PositiveAndInBase("RB1003", "[IgnoreAntiforgeryToken] added", Cs("Web/AccountController.cs",
            "public class AccountController : Controller\n{\n    [HttpPost]\n    public IActionResult Save() => Ok();\n}\n",
            "public class AccountController : Controller\n{\n    [HttpPost, IgnoreAntiforgeryToken] //!\n    public IActionResult Save() => Ok();\n}\n"));
        Positive("RB1003", "[ValidateAntiForgeryToken] removed", Cs("Web/AccountController.cs",
            "public class AccountController : Controller\n{\n    [HttpPost]\n    [ValidateAntiForgeryToken] //!\n    public IActionResult Save() => Ok();\n}\n",
            "public class AccountController : Controller\n{\n    [HttpPost]\n    public IActionResult Save() => Ok();\n}\n"));
        PositiveAndInBase("RB1003", ".DisableAntiforgery() added", Cs("Program.cs",
            "var app = WebApplication.Create();\n",
            "var app = WebApplication.Create();\napp.MapPost(\"/transfer\", (Transfer t) => t).DisableAntiforgery(); //!\n"));
        Negative("RB1003", "[ValidateAntiForgeryToken] added", Cs("Web/AccountController.cs",
            "public class AccountController : Controller\n{\n    [HttpPost]\n    public IActionResult Save() => Ok();\n}\n",
            "public class AccountController : Controller\n{\n    [HttpPost, ValidateAntiForgeryToken]\n    public IActionResult Save() => Ok();\n}\n"));

        // RB1004 CORS
        PositiveAndInBase("RB1004", "AllowAnyOrigin() and SetIsOriginAllowed(_ => true)", Cs("Startup.cs",
            InMethod("        services.AddCors();"),
            InMethod("        services.AddCors(o => o.AddPolicy(\"all\", p => p\n            .AllowAnyOrigin() //!\n            .AllowAnyHeader()));\n        services.AddCors(o => o.AddPolicy(\"creds\", p => p.SetIsOriginAllowed(_ => true).AllowCredentials())); //!")));
        Negative("RB1004", "explicit origins", Cs("Startup.cs",
            InMethod("        services.AddCors();"),
            InMethod("        services.AddCors(o => o.AddPolicy(\"web\", p => p.WithOrigins(\"https://app.example.com\")));")));

        // RB1005 JWT
        PositiveAndInBase("RB1005", "lifetime and signature validation switched off", Cs("Auth/JwtSetup.cs",
            InMethod("        var p = new TokenValidationParameters { ValidateIssuer = true };"),
            InMethod("        var p = new TokenValidationParameters\n        {\n            ValidateIssuer = true,\n            ValidateLifetime = false, //!\n            SignatureValidator = (token, parameters) => new JwtSecurityToken(token), //!\n        };")));
        Negative("RB1005", "validation switched on", Cs("Auth/JwtSetup.cs",
            InMethod("        var p = new TokenValidationParameters();"),
            InMethod("        var p = new TokenValidationParameters { ValidateLifetime = true, ValidateAudience = true };")));
    }
}
