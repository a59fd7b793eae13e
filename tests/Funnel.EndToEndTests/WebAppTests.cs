using Aspire.Hosting.Testing;

namespace Funnel.EndToEndTests;

/// <summary>
/// The web app in a real browser: web/e2e/walkthrough.mjs drives Debian's Chromium through the gateway (it makes no
/// API call itself) and leaves its screenshots in docs/screenshots, which the README shows.
/// </summary>
public class WebAppTests(FunnelApp funnel)
{
    [Fact(Timeout = 300_000)]
    public async Task A_salesperson_takes_a_contact_from_capture_to_order_by_clicking_and_typing()
    {
        var gateway = funnel.App.GetEndpoint("gateway", "http").GetLeftPart(UriPartial.Authority);
        var script = Path.Combine(DeploymentTests.Root, "web", "e2e", "walkthrough.mjs");
        var shots = Path.Combine(DeploymentTests.Root, "docs", "screenshots");

        var (exit, log) = await DeploymentTests.RunAsync("node", [script, gateway, shots], Path.Combine(DeploymentTests.Root, "web"));

        TestContext.Current.TestOutputHelper?.WriteLine(log);
        Assert.True(exit == 0, log);
        Assert.Contains("walk-through passed", log);
    }
}
