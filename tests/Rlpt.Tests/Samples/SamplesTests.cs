using System.Diagnostics;
using System.Globalization;
using Rlpt.Generation;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Tokenization;
using static TorchSharp.torch;

namespace Rlpt.Tests.Samples;

/// <summary>The programs under samples/ build against the library and run as a user would run them.</summary>
public sealed class SamplesTests
{
    /// <summary>`dotnet run` of a sample with arguments; its standard output's lines, after asserting it succeeded.</summary>
    private static async Task<string[]> RunSample(string name, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "run", "--project", Path.Combine(RepositoryPaths.Root, "samples", name), "-c", "Release", "--" }.Concat(arguments))
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        var stderrTask = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        string stdout = await stdoutTask, stderr = await stderrTask;
        Assert.True(process.ExitCode == 0, stdout + stderr);
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static (double First, double Last) FirstAndLast(string line)
    {
        var words = line.Split(' ');
        return (double.Parse(words[^4].TrimEnd(','), CultureInfo.InvariantCulture), double.Parse(words[^1], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task TheCustomObjectiveSampleTrainsItsOwnRegisteredObjectiveAndGeneratesFromTheSavedFolder()
    {
        using var dir = new TestDirectory();
        var lines = await RunSample("CustomObjective", dir.File("run"));
        var (first, last) = FirstAndLast(lines.Single(l => l.StartsWith("reward: ", StringComparison.Ordinal)));
        Assert.True(last > first + 0.5, $"the sample's objective should be learned: {lines[0]}");
        Assert.Equal(4, lines.Count(l => l.StartsWith("sample: the cat|", StringComparison.Ordinal)));
        Assert.True(File.Exists(Path.Combine(dir.File("run"), "model", "model.safetensors")));
    }

    [Fact]
    public async Task TheCustomRewardSampleIsComposedIntoRlptsRewardsAndLearned()
    {
        using var dir = new TestDirectory();
        var lines = await RunSample("CustomReward", dir.File("run"));
        var (first, last) = FirstAndLast(lines.Single(l => l.StartsWith("rewards/names/mean: ", StringComparison.Ordinal)));
        Assert.True(last > first + 0.3, $"GRPO should raise the custom reward: {string.Join(" | ", lines)}");
        // Scored next to the built-in prefix reward, completion by completion.
        var logged = File.ReadAllLines(Path.Combine(dir.File("run"), "completions.jsonl")).Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!).ToArray();
        Assert.All(logged, l => Assert.Equal(((double)l["rewards"]!["names"]!) + 0.5 * (double)l["rewards"]!["prefix"]!, (double)l["reward"]!, 9));
    }

    [Fact]
    public async Task TheGenerateSampleLoadsAFolderAndSamplesAsTheLibraryDoesInProcess()
    {
        using var dir = new TestDirectory();
        var tokenizer = Tokenizer.Train(Enumerable.Repeat("the cat sat on the mat and told a story to the dog", 20), new BpeTrainerOptions { VocabSize = 300 });
        using (var model = new CausalLM(new ModelConfig
        {
            VocabSize = tokenizer.VocabSize, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1, NumAttentionHeads = 2, MaxPositionEmbeddings = 256, TieWordEmbeddings = true,
        }))
        {
            model.InitializeWeights(5);
            ModelFolder.Save(dir.File("model"), model, tokenizer);
        }
        var lines = await RunSample("GenerateFromFolder", dir.File("model"), "hello there", "2");
        var samples = lines.Where(l => l.StartsWith("sample ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, samples.Length);

        // The same folder, template and seeds in process give the same tokens.
        var (loaded, loadedTokenizer) = ModelFolder.Load(dir.File("model"), CPU);
        using var _ = loaded;
        string prompt = ModelFolder.ReadInfo(dir.File("model")).RenderChat([new ChatMessage("user", "hello there")]);
        Assert.Contains(prompt.Split('\n')[0], lines);
        var expected = new BatchGenerator(loaded, loadedTokenizer).Generate(Enumerable.Range(0, 2).Select(seed => new GenerationRequest(loadedTokenizer.Encode(prompt),
            new SamplingOptions { MaxNewTokens = 32, Temperature = 0.8, TopP = 0.95, Seed = seed })).ToArray());
        for (int i = 0; i < 2; i++) Assert.Contains($"ids [{string.Join(',', expected[i].TokenIds)}]", samples[i]);
    }
}
