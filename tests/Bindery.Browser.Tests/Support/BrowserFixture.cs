using Microsoft.Playwright;

namespace Bindery.Browser.Tests;

/// <summary>
/// Debian's Chromium driven by Playwright (never "playwright install": the browser comes from apt). Without
/// /usr/bin/chromium the tests fail with the command that installs it, unless BINDERY_SKIP_BROWSER_TESTS=1 is set,
/// in which case they are reported as skipped (see <see cref="BrowserFactAttribute"/>).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";
    public const string OptOut = "BINDERY_SKIP_BROWSER_TESTS";
    public const string Install = "apt-get update && apt-get install -y chromium fonts-noto-cjk";

    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static bool OptedOut => Environment.GetEnvironmentVariable(OptOut) == "1";

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
        {
            if (OptedOut)
            {
                return;
            }
            throw new InvalidOperationException(
                $"The browser tests need Chromium at {Chromium}. Install it (as root) with: {Install} — or set {OptOut}=1 to skip them explicitly.");
        }
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        playwright?.Dispose();
    }
}

[CollectionDefinition("browser")]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>;

/// <summary>A browser test: skipped (visibly) only when Chromium is absent and the opt-out variable is set.</summary>
public sealed class BrowserTheoryAttribute : TheoryAttribute
{
    public BrowserTheoryAttribute()
    {
        if (!File.Exists(BrowserFixture.Chromium) && BrowserFixture.OptedOut)
        {
            Skip = $"{BrowserFixture.OptOut}=1 and no {BrowserFixture.Chromium}";
        }
    }
}

public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!File.Exists(BrowserFixture.Chromium) && BrowserFixture.OptedOut)
        {
            Skip = $"{BrowserFixture.OptOut}=1 and no {BrowserFixture.Chromium}";
        }
    }
}
