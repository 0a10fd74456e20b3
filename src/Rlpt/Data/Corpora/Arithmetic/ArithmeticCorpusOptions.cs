namespace Rlpt.Data.Corpora.Arithmetic;

/// <summary>How many worked-arithmetic documents to write, at which levels, from which seed.</summary>
public sealed record ArithmeticCorpusOptions
{
    public int Count { get; init; } = 10_000;

    /// <summary>Levels (operations per problem) cycle from <see cref="MinOperations"/> to <see cref="MaxOperations"/>,
    /// so each level gets an equal share of the documents.</summary>
    public int MinOperations { get; init; } = 1;

    public int MaxOperations { get; init; } = 6;
    public int Seed { get; init; }
    public string Source { get; init; } = "arithmetic";

    /// <summary>
    /// Answer formats (<see cref="AnswerFormats"/>) and their shares of the documents, each document's drawn from its
    /// seed; default: every document ends with the conclusion sentence.
    /// </summary>
    public IReadOnlyDictionary<string, double> Formats { get; init; } = new Dictionary<string, double> { [AnswerFormats.Conclusion] = 1 };
}
