using System.Text.Json;
using Rlpt.Objectives.Rlpt;

namespace Rlpt.Tests.Objectives.Rlpt;

public sealed class RlptPromptsTests
{
    [Fact]
    public void PlaceholdersInTheDocumentTextAreNotFilled()
    {
        var templates = new RlptPromptTemplates { Msr = "{context}|<MASK>|{next}" };
        Assert.Equal("<|im_start|>user\nsee {next} here|<MASK>|then {context}<|im_end|>\n<|im_start|>assistant\n<think>\n",
            RlptPrompts.Msr("see {next} here", "then {context}", templates));
    }

    [Fact]
    public void DefaultPromptsAskForTheTaggedAnswer()
    {
        var templates = new RlptPromptTemplates();
        Assert.Contains("### Context\nA b.<|im_end|>", RlptPrompts.Asr("A b.", templates));
        Assert.Contains("A b. <MASK> C d.", RlptPrompts.Msr("A b.", "C d.", templates));
        Assert.All(new[] { templates.Asr, templates.Msr }, t => Assert.Contains("<|startofprediction|> and <|endofprediction|>", t));
    }

    [Fact]
    public void OptionsUseSnakeCaseAndRejectBadValues()
    {
        var options = JsonSerializer.Deserialize<RlptTaskOptions>("""{"msr_fraction":0.3,"context_tokens":100,"reference_segments":2,"prompts":{"open_think":false}}""")!;
        Assert.Equal((0.3, 100, 2, false, 64), (options.MsrFraction, options.ContextTokens, options.ReferenceSegments, options.Prompts.OpenThink, options.MaxTargetTokens));
        Assert.Throws<ArgumentOutOfRangeException>(() => (options with { MsrFraction = 1.5 }).Validate());
        Assert.Throws<ArgumentException>(() => new RlptTaskOptions { Prompts = new RlptPromptTemplates { Msr = "{context} <MASK>" } }.Validate());
    }
}
