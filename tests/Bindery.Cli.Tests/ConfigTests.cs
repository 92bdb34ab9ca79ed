using System.Net;
using System.Text.Json.Nodes;
using Bindery.Server.Http;

namespace Bindery.Cli.Tests;

/// <summary>`bindery login` stores the server and token for the user only; options and environment override it.</summary>
public sealed class ConfigTests
{
    private static StubHandler Accepting(string token) => new(r =>
        r.Headers.TryGetValue("Authorization", out var auth) && auth == "Bearer " + token
            ? StubHandler.Json(HttpStatusCode.OK, "[]")
            : StubHandler.Problem(401, """{"title":"A valid bearer token is required.","status":401,"detail":"A valid bearer token is required.","code":"unauthorized"}"""));

    [Fact]
    public async Task Login_checks_the_token_and_stores_it_in_a_file_only_the_user_can_read()
    {
        var stub = Accepting("s3cret");
        using var h = new CliHarness(() => stub);

        var r = await h.Run("login", "--server", "http://bindery.test:5080", "--token", "s3cret");

        Assert.True(r.Exit == 0, r.ToString());
        var file = Path.Combine(h.ConfigDirectory, "config.json");
        var json = JsonNode.Parse(File.ReadAllText(file))!;
        Assert.Equal("http://bindery.test:5080/", json["server"]!.GetValue<string>());
        Assert.Equal("s3cret", json["token"]!.GetValue<string>());
        Assert.Equal("/api/v1/policies", stub.Seen.Single().PathAndQuery);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(h.ConfigDirectory));
        }
        Assert.False(File.Exists(file + ".tmp"));
    }

    [Fact]
    public async Task Logging_in_again_replaces_the_file_and_keeps_mode_600()
    {
        var stub = new StubHandler(_ => StubHandler.Json(HttpStatusCode.OK, "[]"));
        using var h = new CliHarness(() => stub);
        Directory.CreateDirectory(h.ConfigDirectory);
        var file = Path.Combine(h.ConfigDirectory, "config.json");
        File.WriteAllText(file, """{"server":"http://old/","token":"old"}""");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        Assert.Equal(0, (await h.Run("login", "--server", "http://new.test", "--token", "new")).Exit);

        Assert.Contains("\"new\"", File.ReadAllText(file), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public async Task A_rejected_token_is_not_stored_and_exits_3()
    {
        using var h = new CliHarness(() => Accepting("right"));

        var r = await h.Run("login", "--server", "http://bindery.test", "--token", "wrong");

        Assert.Equal(ExitCodes.Server, r.Exit);
        Assert.Contains("401 unauthorized", r.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(h.ConfigDirectory, "config.json")));
    }

    [Fact]
    public async Task Login_without_server_and_token_is_a_usage_error()
    {
        using var h = new CliHarness(() => Accepting("x"));

        Assert.Equal(ExitCodes.Usage, (await h.Run("login", "--server", "http://bindery.test")).Exit);
        Assert.Equal(ExitCodes.Usage, (await h.Run("login", "--server", "ftp://bindery.test", "--token", "x")).Exit);
    }

    [Fact]
    public async Task Environment_overrides_the_stored_login_and_options_override_both()
    {
        var stub = new StubHandler(_ => StubHandler.Json(HttpStatusCode.OK, "[]"));
        using var h = new CliHarness(() => stub);
        Assert.Equal(0, (await h.Run("login", "--server", "http://stored.test", "--token", "stored")).Exit);

        await h.Run("shops");
        h.Environment["BINDERY_TOKEN"] = "from-env";
        h.Environment["BINDERY_COUNTRY"] = "GB";
        await h.Run("shops");
        await h.Run("shops", "--token", "from-option", "--server", "http://option.test", "--lang", "zh-CN", "--country", "CN");

        var calls = stub.Seen.Skip(1).ToArray(); // after login's own check
        Assert.Equal("Bearer stored", calls[0].Headers["Authorization"]);
        Assert.Equal("Bearer from-env", calls[1].Headers["Authorization"]);
        Assert.Equal("GB", calls[1].Headers["X-Client-Country"]);
        Assert.Equal("Bearer from-option", calls[2].Headers["Authorization"]);
        Assert.Equal("CN", calls[2].Headers["X-Client-Country"]);
        Assert.Equal("zh-CN", calls[2].Headers["Accept-Language"]);
    }

    [Fact]
    public async Task The_stored_token_is_never_sent_to_another_server()
    {
        var stub = new StubHandler(_ => StubHandler.Json(HttpStatusCode.OK, "[]"));
        using var h = new CliHarness(() => stub);
        Assert.Equal(0, (await h.Run("login", "--server", "http://stored.test", "--token", "stored")).Exit);

        var other = await h.Run("shops", "--server", "http://elsewhere.test");
        h.Environment["BINDERY_SERVER"] = "http://stored.test/";
        var same = await h.Run("shops");

        Assert.Equal(ExitCodes.Usage, other.Exit);
        Assert.Contains("No token for http://elsewhere.test/", other.Err, StringComparison.Ordinal);
        Assert.Equal(0, same.Exit);
        Assert.Equal(2, stub.Seen.Count); // login's check and the second shops; nothing went to elsewhere.test
        Assert.Equal("Bearer stored", stub.Seen[1].Headers["Authorization"]);
    }

    [Fact]
    public void The_default_directory_follows_XDG_CONFIG_HOME_then_HOME()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        Assert.Equal("/x/cfg/bindery", ConfigStore.DefaultDirectory(n => n == "XDG_CONFIG_HOME" ? "/x/cfg" : null));
        Assert.Equal("/home/u/.config/bindery", ConfigStore.DefaultDirectory(n => n == "HOME" ? "/home/u" : null));
        // A relative XDG_CONFIG_HOME is ignored, as the XDG spec says.
        Assert.Equal("/home/u/.config/bindery", ConfigStore.DefaultDirectory(n => n switch { "XDG_CONFIG_HOME" => "rel", "HOME" => "/home/u", _ => null }));
    }

    [Fact]
    public async Task A_broken_config_file_is_a_usage_error_that_says_to_log_in_again()
    {
        using var h = new CliHarness(() => new StubHandler(_ => StubHandler.Json(HttpStatusCode.OK, "[]")));
        Directory.CreateDirectory(h.ConfigDirectory);
        File.WriteAllText(Path.Combine(h.ConfigDirectory, "config.json"), "{not json");

        var r = await h.Run("shops");

        Assert.Equal(ExitCodes.Usage, r.Exit);
        Assert.Contains("bindery login", r.Err, StringComparison.Ordinal);
    }
}
