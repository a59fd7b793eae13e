using System.Globalization;
using System.Text;

namespace Funnel.Leads.Domain;

/// <summary>A word of a lead's name, company or email as search finds it: folded (see <see cref="SearchText"/>).</summary>
public sealed class SearchWord
{
    public required string Word { get; init; }
}

/// <summary>
/// Search is done in C#'s terms, not the database's: every provider's <c>LOWER</c> differs outside ASCII (SQLite's
/// leaves Ł alone), so words are folded once when a lead is written and a query matches them by prefix through an
/// index (a range of words), never by a function over every row.
/// </summary>
public static class SearchText
{
    public const int MaxWordLength = 50;
    private const int MaxWords = 40;

    /// <summary>The folded words of <paramref name="texts"/>, each once: <c>Łukasz Żółć</c> gives lukasz, zolc.</summary>
    public static IReadOnlyList<string> Words(params string?[] texts) =>
        texts.OfType<string>()
            .SelectMany(text => Fold(text).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(word => word.Length > MaxWordLength ? word[..MaxWordLength] : word)
            .Distinct()
            .Take(MaxWords)
            .ToList();

    /// <summary>
    /// Lower case without diacritics, letters and digits only (anything else separates words): what a salesperson
    /// types without the accents, or with them, finds the same.
    /// </summary>
    public static string Fold(string text)
    {
        var folded = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            folded.Append(char.ToLowerInvariant(c) switch
            {
                // Letters with a stroke or ligatures have no decomposition to strip.
                'ł' => "l",
                'ø' => "o",
                'đ' => "d",
                'ħ' => "h",
                'ı' => "i",
                'ß' => "ss",
                'æ' => "ae",
                'œ' => "oe",
                'þ' => "th",
                var lower when char.IsLetterOrDigit(lower) => lower.ToString(),
                _ => " ",
            });
        }
        return folded.ToString();
    }

    /// <summary>
    /// The words that start with <paramref name="prefix"/>, as a range an index can seek: from the prefix up to the
    /// prefix with its last letter one higher (<c>luk</c> to <c>lul</c>).
    /// </summary>
    public static (string From, string To) PrefixRange(string prefix) =>
        (prefix, prefix[..^1] + (char)(prefix[^1] + 1));
}
