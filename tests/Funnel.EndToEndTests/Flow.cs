namespace Funnel.EndToEndTests;

/// <summary>What the failure tests measure of a flow of hand-offs to Qualification.</summary>
internal static class Flow
{
    /// <summary>How many of the contacts reached Qualification, and how many had their case opened more than once.</summary>
    public static async Task<(int Arrived, int Doubled)> ArrivalsAsync(HttpClient gateway, string owner, List<string> leads)
    {
        await gateway.Eventually($"/api/qualification?owner={owner}&pageSize=1",
            page => page["total"]!.GetValue<int>() >= leads.Count, within: TimeSpan.FromMinutes(2));
        var cases = await (await gateway.GetAsync($"/api/qualification?owner={owner}&pageSize=200", Api.Cancel)).Json(HttpStatusCode.OK);
        var arrived = cases["items"]!.AsArray().Select(c => c!["contactId"]!.GetValue<string>()).Intersect(leads).Count();

        // The case's opening announces its checklist once; a second effect of a redelivered hand-off would show twice.
        // Pipeline's consumer recovers from the same failure on its own, so it gets the same time as Qualification's.
        var doubled = 0;
        foreach (var id in leads)
        {
            var journey = await gateway.Eventually($"/api/pipeline/contacts/{id}", j =>
                j["events"]!.AsArray().Any(e => e!["type"]!.GetValue<string>() == "ChecklistChanged"),
                within: TimeSpan.FromMinutes(2));
            doubled += journey["events"]!.AsArray().Count(e => e!["type"]!.GetValue<string>() == "ChecklistChanged") > 1 ? 1 : 0;
        }
        return (arrived, doubled);
    }
}
