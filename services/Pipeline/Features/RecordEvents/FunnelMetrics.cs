using System.Diagnostics.Metrics;
using Funnel.Contracts;
using Funnel.Pipeline.Domain;

namespace Funnel.Pipeline.Features.RecordEvents;

/// <summary>
/// The funnel as OpenTelemetry metrics (meter <c>Funnel.Pipeline</c>), counted once per event as it is first stored,
/// so redeliveries and rebuilds do not count twice.
/// </summary>
public sealed class FunnelMetrics
{
    public const string MeterName = "Funnel.Pipeline";

    private readonly Counter<long> _leadsCaptured;
    private readonly Counter<long> _conversions;
    private readonly Counter<long> _losses;
    private readonly Counter<long> _orders;
    private readonly Counter<double> _orderValue;

    public FunnelMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _leadsCaptured = meter.CreateCounter<long>("funnel.leads.captured", "{lead}", "Leads captured.");
        _conversions = meter.CreateCounter<long>("funnel.stage.conversions", "{contact}",
            "Contacts that moved on to the next stage, by the stage they entered.");
        _losses = meter.CreateCounter<long>("funnel.losses", "{contact}", "Contacts lost, by stage.");
        _orders = meter.CreateCounter<long>("funnel.orders", "{order}", "Orders placed.");
        _orderValue = meter.CreateCounter<double>("funnel.orders.value", "{currency}", "Value of the orders placed, by currency.");
    }

    public void Record(StageEventRecord stored)
    {
        switch (stored.Type)
        {
            case nameof(LeadCaptured):
                _leadsCaptured.Add(1);
                break;
            case nameof(LeadQualified) or nameof(ProspectQualified):
                _conversions.Add(1, new KeyValuePair<string, object?>("funnel.stage", stored.Stage));
                break;
            case nameof(OrderPlaced):
                _conversions.Add(1, new KeyValuePair<string, object?>("funnel.stage", stored.Stage));
                _orders.Add(1);
                _orderValue.Add(stored.AmountMinor!.Value / 100.0, new KeyValuePair<string, object?>("currency", stored.Currency));
                break;
            case nameof(ContactLost):
                _losses.Add(1, new KeyValuePair<string, object?>("funnel.stage", stored.Stage));
                break;
        }
    }
}
