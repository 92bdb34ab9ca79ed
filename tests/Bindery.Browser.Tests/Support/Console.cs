using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Bindery.Browser.Tests;

/// <summary>
/// One test's world: a fresh server and browser contexts, one per person, each in a language and at a width.
/// Every page visited is checked for untranslated keys (⟦key⟧), unlabeled inputs and horizontal overflow.
/// </summary>
public sealed class ConsoleSession(BrowserFixture browser) : IAsyncDisposable
{
    public const int Phone = 375;

    private readonly List<IBrowserContext> contexts = [];

    static ConsoleSession() => Microsoft.Playwright.Assertions.SetDefaultExpectTimeout(30_000);

    public ConsoleServer Server { get; } = new();

    /// <summary>A person's browser: Accept-Language from the locale, the network country set by the platform's edge (TS-E4).</summary>
    public async Task<IPage> Person(string lang, string country = "GB", int width = 1280)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.Url,
            Locale = lang,
            ViewportSize = new ViewportSize { Width = width, Height = width == Phone ? 812 : 900 },
            ExtraHTTPHeaders = new Dictionary<string, string> { ["X-Client-Country"] = country },
        });
        contexts.Add(context);
        var page = await context.NewPageAsync();
        // Generous waits, not speed checks: the machine running the suite may be busy.
        page.SetDefaultTimeout(45_000);
        page.SetDefaultNavigationTimeout(60_000);
        return page;
    }

    /// <summary>Demo sign-in: one click on the principal's button.</summary>
    public static async Task SignIn(IPage page, string token)
    {
        await page.GotoAsync("/console/sign-in");
        await page.Locator($"button[data-token='{token}']").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/sign-in", StringComparison.Ordinal));
    }

    /// <summary>What every page must be: fully translated, every input labelled, nothing wider than the screen.</summary>
    public static async Task CheckPage(IPage page)
    {
        var text = await page.Locator("body").InnerTextAsync();
        Assert.DoesNotContain("⟦", text, StringComparison.Ordinal);
        var unlabelled = await page.EvaluateAsync<string[]>(@"() => Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
            .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.closest('fieldset')?.querySelector('legend'))
            .map(e => e.outerHTML)");
        Assert.Empty(unlabelled);
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, $"the page {page.Url} is wider than the window ({page.ViewportSize?.Width} px)");
    }

    /// <summary>
    /// Screenshots go to TestResults/screenshots on every run; with BINDERY_UPDATE_SCREENSHOTS=1 also to
    /// docs/screenshots when <paramref name="publish"/> (the few the README shows).
    /// </summary>
    public static async Task Shot(IPage page, string name, bool publish = false)
    {
        var root = RepoRoot();
        var options = new PageScreenshotOptions { FullPage = true };
        var run = Path.Combine(root, "TestResults", "screenshots", name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(run)!);
        options.Path = run;
        await page.ScreenshotAsync(options);
        if (publish && Environment.GetEnvironmentVariable("BINDERY_UPDATE_SCREENSHOTS") == "1")
        {
            var docs = Path.Combine(root, "docs", "screenshots", name + ".png");
            Directory.CreateDirectory(Path.GetDirectoryName(docs)!);
            File.Copy(run, docs, overwrite: true);
        }
    }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Bindery.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Bindery.sln not found above " + AppContext.BaseDirectory);
    }

    public static string Slug(string lang) => lang == "zh-CN" ? "zh" : "en";

    public static Regex Exactly(string text) => new("^" + Regex.Escape(text) + "$");

    public async ValueTask DisposeAsync()
    {
        foreach (var c in contexts)
        {
            await c.CloseAsync();
        }
        Server.Dispose();
    }
}
