using System.Net.Mail;

namespace Funnel.Leads.Domain;

/// <summary>How two leads are recognised as the same person: email and phone in one canonical form.</summary>
public static class ContactDetails
{
    /// <summary>Trimmed and lower-cased; null when it is not a plausible address.</summary>
    public static string? NormalizeEmail(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }
        var trimmed = email.Trim().ToLowerInvariant();
        return MailAddress.TryCreate(trimmed, out var address) && address.Address == trimmed &&
               address.Host.Contains('.') ? trimmed : null;
    }

    /// <summary>Digits only, keeping a leading '+'; null unless it has 6 to 15 digits (E.164's limit).</summary>
    public static string? NormalizePhone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }
        var trimmed = phone.Trim();
        // ASCII digits only: other scripts' digits (Arabic-Indic, say) would make a second form of the same number.
        if (trimmed.Any(c => !char.IsAsciiDigit(c) && c is not (' ' or '-' or '.' or '(' or ')' or '+' or '/')))
        {
            return null;
        }
        var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length is < 6 or > 15)
        {
            return null;
        }
        return trimmed.StartsWith('+') ? "+" + digits : digits;
    }
}
