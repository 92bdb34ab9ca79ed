using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Bindery.Server.Core;
using Bindery.Server.Features.MainAccount;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bindery.Server.Tests;

/// <summary>Passwords, token secrets and one-time codes are never stored or logged in clear text.</summary>
public sealed class SecretsTests : IDisposable
{
    /// <summary>Stands for an SMS gateway: the only place a code is readable is the phone.</summary>
    private sealed class Phone : IOtpSender
    {
        public ConcurrentQueue<string> Codes { get; } = new();

        public bool IsAvailable => true;

        public void Send(OtpMessage message, WriteContext ctx) => Codes.Enqueue(message.Code);
    }

    private readonly Phone phone = new();
    private readonly BinderyFactory factory;

    public SecretsTests() => factory = new BinderyFactory
    {
        Settings = { ["Logging:LogLevel:Default"] = "Trace" },
        ExtraServices = s => s.AddSingleton<IOtpSender>(phone),
    };

    public void Dispose() => factory.Dispose();

    [SqliteFact] // DY-M2, DY-D4 (it reads the SQLite files byte by byte)
    public async Task Neither_the_database_nor_the_log_holds_a_password_token_or_code_in_clear_text()
    {
        var kit = new AccessKit(factory);
        var world = new World(factory);
        await world.Shop("s1");
        var secrets = new List<string>();

        var (merchantSecret, _) = await kit.Mint(new { kind = "merchant", shopId = "s1" });
        secrets.Add(merchantSecret);
        await Kit.Get(factory.As(merchantSecret), "/api/v1/shops/s1");

        const string password = "Correct-Horse-Battery-Staple-42";
        const string wrong = "Wrong-Horse-Battery-Staple-43";
        secrets.AddRange([password, wrong]);
        await kit.Login("ops", password, new { kind = "merchant", shopId = "s1" });
        var browser = kit.Browser();
        await Kit.Problem(await AccessKit.SignIn(browser, "ops", wrong), HttpStatusCode.Unauthorized, "sign_in_failed");
        await Kit.Expect(await AccessKit.SignIn(browser, "ops", password), HttpStatusCode.OK);

        var dy = await kit.Shop("dy1", "boss");
        await kit.AccountOnly("staff");
        await AccessKit.Delegate(dy, "boss", "staff", "bindings.view");
        var (subSecret, _) = await kit.Mint(new { kind = "sub", shopId = "dy1", accountId = "staff" });
        secrets.Add(subSecret);
        await Kit.Get(factory.As(subSecret), "/api/v1/shops/dy1");

        // Webhook signing secrets are encrypted at rest (ADR 0017), including the one a rotation replaces.
        var hook = await Kit.Expect(await factory.Admin().PostAsJsonAsync("/api/v1/webhooks", new { shopId = "s1", url = "http://127.0.0.1:9/hook" }),
            HttpStatusCode.Created);
        secrets.Add(hook["secret"].S());
        var rotated = await Kit.Expect(await factory.Admin().PostAsync($"/api/v1/webhooks/{hook["subscription"]!["id"].S()}/rotate-secret", null), HttpStatusCode.OK);
        secrets.Add(rotated["secret"].S());

        var mk = new MainAccountKit(factory);
        await mk.Account("heir");
        var change = (await MainAccountKit.Start(dy, "dy1", "heir"))["id"].S();
        var code = Assert.Single(phone.Codes);
        await Kit.Problem(await MainAccountKit.Verify(dy, change, MainAccountKit.Other(code)), HttpStatusCode.UnprocessableEntity, "wrong_code");
        await Kit.Expect(await MainAccountKit.Verify(dy, change, code), HttpStatusCode.OK);

        var log = string.Join("\n", factory.Logs.Lines);
        Assert.NotEmpty(factory.Logs.Lines);
        var stored = Stored();
        Assert.Contains("pbkdf2-sha512$", stored, StringComparison.Ordinal); // the scan reads the real store
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(Tokens.Hash(password), stored, StringComparison.Ordinal);
        foreach (var c in new[] { code, MainAccountKit.Other(code) })
        {
            Assert.DoesNotContain($"\"{c}\"", stored, StringComparison.Ordinal);
            Assert.DoesNotMatch($"(?<![0-9]){c}(?![0-9])", log);
        }
    }

    /// <summary>Every byte of the SQLite store (main file and write-ahead log), read as text.</summary>
    private string Stored()
    {
        var text = new StringBuilder();
        foreach (var path in new[] { factory.DbPath, factory.DbPath + "-wal" })
        {
            if (File.Exists(path))
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                text.Append(Encoding.Latin1.GetString(copy.ToArray()));
            }
        }
        return text.ToString();
    }
}
