using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Serving;
using Rlpt.Tests.Cli;
using Microsoft.Extensions.AI;

namespace Rlpt.Tests.Serving;

public sealed class ChatCommandTests(ServingFixture fixture) : IClassFixture<ServingFixture>
{
    [Fact]
    public async Task PipedLinesAreAnsweredWithTheHistoryAndEndOfInputExits()
    {
        using var dir = new TestDirectory();
        var modelDir = Path.Combine(dir.Path, "model");
        ModelFolder.Save(modelDir, fixture.Generation.Model, fixture.Generation.Tokenizer);

        var run = CliRunner.RunWithInput(dir.Path, "Ada reads\n/system Be brief.\nEve\n/bogus\n",
            "chat", "--model", modelDir, "--temperature", "0", "--max-tokens", "6", "--threads", "1");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("unknown command /bogus", run.Stderr);

        // The same conversation in process: first turn alone, second with the system message and the first exchange.
        await using var engine = new BatchingEngine(fixture.Generation.Model, fixture.Generation.Tokenizer);
        using var client = new RlptChatClient(engine);
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 6 };
        var first = (await client.GetResponseAsync([new(ChatRole.User, "Ada reads")], options)).Text;
        var second = (await client.GetResponseAsync([new(ChatRole.System, "Be brief."), new(ChatRole.User, "Ada reads"), new(ChatRole.Assistant, first), new(ChatRole.User, "Eve")], options)).Text;
        Assert.Equal([first, "(system message set)", second], run.Stdout.Split('\n').Take(3));
    }
}
