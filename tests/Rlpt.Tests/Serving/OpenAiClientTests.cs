using System.ClientModel;
using System.Text;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using Rlpt.Generation;
using Rlpt.Serving;
using RlptChatMessage = Rlpt.Tokenization.ChatMessage;

namespace Rlpt.Tests.Serving;

/// <summary>The server through the official OpenAI .NET client and Microsoft.Extensions.AI, over real HTTP on loopback.</summary>
public sealed class OpenAiClientTests(ServingFixture fixture) : IClassFixture<ServingFixture>
{
    private const string Question = "Ada reads";

    private static ChatClient OpenAiChat(TestServer server) =>
        new(ServingFixture.ModelName, new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = server.Server.BaseAddress });

    private GenerationResult Expected(BatchingEngine engine, int maxTokens, params string[] stops) => fixture.Alone(
        engine.EncodeChat([new RlptChatMessage("user", Question)]),
        BatchingEngine.ForChat(new SamplingOptions { Temperature = 0, MaxNewTokens = maxTokens, StopStrings = stops }));

    [Fact]
    public async Task OfficialClientGetsTheGreedyTextWholeAndStreamed()
    {
        await using var server = await fixture.StartAsync();
        var expected = Expected(server.Engine, 24);
        Assert.NotEmpty(expected.Text);
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 24 };

        ChatCompletion whole = await OpenAiChat(server).CompleteChatAsync([new UserChatMessage(Question)], options);
        Assert.Equal(expected.Text, whole.Content[0].Text);
        Assert.Equal(expected.FinishReason == FinishReason.Length ? OpenAI.Chat.ChatFinishReason.Length : OpenAI.Chat.ChatFinishReason.Stop, whole.FinishReason);
        Assert.Equal(expected.TokenIds.Count, whole.Usage.OutputTokenCount);
        Assert.Equal(expected.PromptTokens, whole.Usage.InputTokenCount);
        Assert.Equal(whole.Usage.InputTokenCount + whole.Usage.OutputTokenCount, whole.Usage.TotalTokenCount);
        Assert.Equal(ServingFixture.ModelName, whole.Model);

        var streamed = new StringBuilder();
        OpenAI.Chat.ChatFinishReason? finish = null;
        int updates = 0;
        await foreach (var update in OpenAiChat(server).CompleteChatStreamingAsync([new UserChatMessage(Question)], options))
        {
            updates++;
            foreach (var part in update.ContentUpdate) streamed.Append(part.Text);
            finish ??= update.FinishReason;
        }
        Assert.Equal(expected.Text, streamed.ToString());
        Assert.Equal(whole.FinishReason, finish);
        Assert.True(updates > 2, $"the answer should arrive in pieces, got {updates} updates");
    }

    [Fact]
    public async Task MaxTokensEndsWithLengthAndAStopSequenceEndsWithStopWithoutIt()
    {
        await using var server = await fixture.StartAsync();
        var free = Expected(server.Engine, 30);
        Assert.True(free.Text.Length >= 6, $"need a longer greedy answer to cut: '{free.Text}'");
        ChatCompletion shortened = await OpenAiChat(server).CompleteChatAsync([new UserChatMessage(Question)], new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 3 });
        Assert.Equal(OpenAI.Chat.ChatFinishReason.Length, shortened.FinishReason);
        Assert.Equal(3, shortened.Usage.OutputTokenCount);
        Assert.Equal(Expected(server.Engine, 3).Text, shortened.Content[0].Text);

        // An ASCII pair after the first character (the random model also emits invalid UTF-8, shown as U+FFFD).
        int at = Enumerable.Range(1, free.Text.Length - 2).First(i => free.Text[i] < 128 && free.Text[i + 1] < 128);
        var stop = free.Text.Substring(at, 2);
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 30 };
        options.StopSequences.Add(stop);
        var cut = free.Text[..free.Text.IndexOf(stop, StringComparison.Ordinal)];
        ChatCompletion stopped = await OpenAiChat(server).CompleteChatAsync([new UserChatMessage(Question)], options);
        Assert.Equal(OpenAI.Chat.ChatFinishReason.Stop, stopped.FinishReason);
        Assert.Equal(cut, stopped.Content[0].Text);
        var streamed = new StringBuilder();
        await foreach (var update in OpenAiChat(server).CompleteChatStreamingAsync([new UserChatMessage(Question)], options))
            foreach (var part in update.ContentUpdate) streamed.Append(part.Text);
        Assert.Equal(cut, streamed.ToString());
    }

    [Fact]
    public async Task ExtensionsAiClientOverHttpAndInProcessRlptChatClientGiveTheSameText()
    {
        await using var server = await fixture.StartAsync();
        var expected = Expected(server.Engine, 20);
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 20 };
        Microsoft.Extensions.AI.ChatMessage[] messages = [new(ChatRole.User, Question)];
        using var overHttp = OpenAiChat(server).AsIChatClient();
        using var inProcess = new RlptChatClient(server.Engine, ServingFixture.ModelName);

        foreach (var client in new IChatClient[] { overHttp, inProcess })
        {
            var whole = await client.GetResponseAsync(messages, options);
            Assert.Equal(expected.Text, whole.Text);
            Assert.Equal(expected.TokenIds.Count, whole.Usage?.OutputTokenCount);
            Assert.Equal(expected.PromptTokens, whole.Usage?.InputTokenCount);
            var updates = await client.GetStreamingResponseAsync(messages, options).ToListAsync();
            Assert.Equal(expected.Text, string.Concat(updates.Select(u => u.Text)));
            Assert.Contains(updates, u => u.FinishReason == (expected.FinishReason == FinishReason.Length ? Microsoft.Extensions.AI.ChatFinishReason.Length : Microsoft.Extensions.AI.ChatFinishReason.Stop));
        }
        Assert.Equal("rlpt", inProcess.GetService<ChatClientMetadata>()?.ProviderName);
    }

    [Fact]
    public async Task RlptChatClientMapsSamplingOptionsAndSeeds()
    {
        await using var server = await fixture.StartAsync();
        using var client = new RlptChatClient(server.Engine);
        Microsoft.Extensions.AI.ChatMessage[] messages = [new(ChatRole.User, Question)];
        var sampled = new ChatOptions { Temperature = 1.2f, TopK = 40, TopP = 0.95f, Seed = 5, MaxOutputTokens = 12 };
        var expected = fixture.Alone(server.Engine.EncodeChat([new RlptChatMessage("user", Question)]),
            BatchingEngine.ForChat(new SamplingOptions { Temperature = 1.2f, TopK = 40, TopP = 0.95f, Seed = 5, MaxNewTokens = 12 }));
        Assert.Equal(expected.Text, (await client.GetResponseAsync(messages, sampled)).Text);
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(messages, new ChatOptions { Seed = 1L << 40 }));
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(messages, new ChatOptions { Temperature = -1 }));
    }
}
