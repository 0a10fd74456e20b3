using Rlpt.Objectives.Rlpt;
using Rlpt.Rewards;

namespace Rlpt.Tests.Objectives.Rlpt;

public class PredictionExtractorTests
{
    private const string S = "<|startofprediction|>";
    private const string E = "<|endofprediction|>";

    [Theory]
    [InlineData("reasoning... " + S + " The cat sat. " + E, "The cat sat.")]
    [InlineData(S + "first" + E + " on second thought " + S + "second" + E, "second")]
    [InlineData(S + "outer " + S + " inner " + E, "inner")]
    [InlineData(S + S + "dup" + E + E, "dup")]
    [InlineData(S + "answer" + E + " trailing " + E, "answer")]
    [InlineData("<think>maybe " + S + "draft" + E + "</think> " + S + "final" + E, "final")]
    public void Extracts_the_final_complete_prediction(string completion, string expected) =>
        Assert.Equal(expected, PredictionExtractor.Extract(completion));

    [Theory]
    [InlineData("")]
    [InlineData("no tags at all")]
    [InlineData(S + "truncated mid-sent")]
    [InlineData(S + "done" + E + " then " + S + "cut off")]
    [InlineData("only an end " + E)]
    [InlineData(E + " backwards " + S)]
    [InlineData(S + E)]
    [InlineData(S + "  \n\t " + E)]
    [InlineData("<think>" + S + "draft" + E + "</think> no final answer")]
    public void Malformed_truncated_or_empty_outputs_give_null(string completion) =>
        Assert.Null(PredictionExtractor.Extract(completion));
}
