using System.ComponentModel.DataAnnotations;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Qualification.Data;
using Funnel.Qualification.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Funnel.Qualification.Features.CheckCredit;

public sealed record CheckCreditRequest([property: Required] MoneyDto? RequestedLimit);

public sealed record CheckCreditResponse(bool Approved, MoneyDto? ApprovedLimit, string Reason, string PolicyVersion);

/// <summary>
/// <c>POST /api/qualification/{contactId}/credit-check</c>: applies the company's credit policy to the requested limit
/// and keeps the outcome on the case as evidence. A rejection is an answer (200), not an error.
/// </summary>
public static class CheckCreditEndpoint
{
    public static void MapCheckCredit(this IEndpointRouteBuilder app) =>
        app.MapPost("/{contactId:guid}/credit-check", Handle).WithName("CheckCredit")
            .WithSummary("Apply the credit policy: approved, approvedLimit, reason.");

    private static async Task<Results<Ok<CheckCreditResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid contactId, CheckCreditRequest request, QualificationDbContext db, StageGate gate,
        IOptionsSnapshot<CreditPolicyOptions> policy, TimeProvider time,
        HttpContext http, Caller caller, CancellationToken cancellationToken)
    {
        var validation = Validation.Of(request);
        long? requestedMinor = null;
        if (request.RequestedLimit is { } limit)
        {
            validation
                .Check(MoneyDto.IsCurrency(limit.Currency), "requestedLimit.currency",
                    "'currency' must be a three-letter ISO 4217 code in capitals.")
                .Check(limit.Amount > 0, "requestedLimit.amount", "'amount' must be more than 0.");
            requestedMinor = MoneyDto.ToMinor(limit.Amount, "requestedLimit.amount", validation);
        }
        return await db.Cases.MoveAsync(contactId, "qualification case", validation, caller, http, found =>
        {
            var check = CreditPolicy.Check(policy.Value, request.RequestedLimit!.Currency, requestedMinor!.Value,
                time.GetUtcNow(), caller.Name);
            found.RecordCreditCheck(check, gate);
            return TypedResults.Ok(new CheckCreditResponse(check.Approved,
                check.Approved ? MoneyDto.From(check.ApprovedMinor, check.Currency) : null, check.Reason,
                check.PolicyVersion));
        }, cancellationToken);
    }
}
