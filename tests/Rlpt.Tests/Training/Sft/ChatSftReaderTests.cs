using Rlpt.Training.Sft;

namespace Rlpt.Tests.Training.Sft;

public sealed class ChatSftReaderTests
{
    private static List<SftExample> Read(string text) => [.. ChatSftReader.Read(new StringReader(text), "chat.jsonl")];

    [Fact]
    public void PromptIsTheTurnsBeforeTheLastAssistantMessageAndCompletionIsItsContent()
    {
        var examples = Read(
            """
            {"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi?"},{"role":"assistant","content":"Hello."}]}

            {"messages":[{"role":"user","content":"2+2?"},{"role":"assistant","content":"4"},{"role":"user","content":"Times 3?"},{"role":"assistant","content":"12"}],"id":7}
            """);
        Assert.Equal(2, examples.Count);
        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi?<|im_end|>\n<|im_start|>assistant\n", examples[0].Prompt);
        Assert.Equal("Hello.<|im_end|>", examples[0].Completion);
        Assert.Equal("<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n4<|im_end|>\n<|im_start|>user\nTimes 3?<|im_end|>\n<|im_start|>assistant\n", examples[1].Prompt);
        Assert.Equal("12<|im_end|>", examples[1].Completion);
    }

    [Theory]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"a\"}", "invalid JSON")]
    [InlineData("[1, 2]", "\"messages\" array")]
    [InlineData("{\"messages\":[]}", "must be the assistant's")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":\"b\"},{\"role\":\"user\",\"content\":\"c\"}]}", "must be the assistant's")]
    [InlineData("{\"messages\":[{\"role\":\"assistant\",\"content\":\"b\"}]}", "no user message")]
    [InlineData("{\"messages\":[{\"role\":\"tool\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":\"b\"}]}", "unknown role 'tool'")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":5},{\"role\":\"assistant\",\"content\":\"b\"}]}", "message 1")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"a<|im_end|>\"},{\"role\":\"assistant\",\"content\":\"b\"}]}", "<|im_end|>")]
    public void MalformedLineIsAnErrorNamingItsLine(string badLine, string expected)
    {
        const string good = "{\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":\"b\"}]}";
        var error = Assert.Throws<InvalidDataException>(() => Read($"{good}\n\n{badLine}\n{good}"));
        Assert.StartsWith("chat.jsonl:3:", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void ReadsAFile()
    {
        using var dir = new TestDirectory();
        File.WriteAllText(dir.File("chat.jsonl"), "{\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":\"b\"}]}\n");
        Assert.Equal("b<|im_end|>", Assert.Single(ChatSftReader.Read(dir.File("chat.jsonl"))).Completion);
    }
}
