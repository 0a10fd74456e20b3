using System.Text.Json;
using Rlpt.Interop.Gguf;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Tests.Modeling;
using Rlpt.Tests.Tokenization;
using Rlpt.Tokenization;

namespace Rlpt.Tests.Cli;

/// <summary>rlpt export and rlpt bench gguf on a tiny saved model.</summary>
public sealed class ExportCommandTests
{
    private static string SaveTinyModel(TestDirectory dir)
    {
        var tokenizer = Tokenizer.Train(TokenizationTestData.EnglishDocuments(seed: 4, count: 40), new BpeTrainerOptions { VocabSize = 280 });
        using var model = TinyModels.Create(TinyModels.Config("qwen3") with { VocabSize = tokenizer.VocabSize });
        var folder = dir.File("model");
        ModelFolder.Save(folder, model, tokenizer);
        return folder;
    }

    [Fact]
    public void Export_WritesGgufFile_F16()
    {
        using var dir = new TestDirectory();
        SaveTinyModel(dir);
        var result = CliRunner.Run(dir.Path, "export", "--model", "model", "--format", "gguf", "--dtype", "f16", "--out", "tiny.gguf");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var file = GgufFile.Read(dir.File("tiny.gguf"));
        Assert.Equal("qwen3", file.Metadata["general.architecture"].AsString());
        Assert.Equal("model", file.Metadata["general.name"].AsString());
        Assert.Equal(GgufTensorType.F16, file.Tensor("token_embd.weight").Type);
        Assert.Equal(ModelFolder.ReadInfo(dir.File("model")).ChatTemplate.Source, file.Metadata["tokenizer.chat_template"].AsString());
    }

    [Fact]
    public void Export_BadInput_OneLineErrors()
    {
        using var dir = new TestDirectory();
        CliErrorTests.AssertCleanError(CliRunner.Run(dir.Path, "export", "--model", "model", "--format", "onnx", "--out", "x.gguf"), "--format 'onnx' is not supported");
        CliErrorTests.AssertCleanError(CliRunner.Run(dir.Path, "export", "--model", "no-such-model", "--out", "x.gguf"), "model folder not found");
        Assert.False(File.Exists(dir.File("x.gguf")));
    }

    [Fact]
    public void BenchGguf_ReportsBothEnginesPerBatchSize()
    {
        using var dir = new TestDirectory();
        SaveTinyModel(dir);
        var result = CliRunner.Run(dir.Path, "bench", "gguf", "--model", "model", "--batch-sizes", "1,3", "--prompt-tokens", "5", "--new-tokens", "6", "--quiet", "--json", "bench.json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("bench.json")));
        var rows = json.RootElement.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal([1, 3], rows.Select(r => r.GetProperty("batch_size").GetInt32()));
        Assert.All(rows, r =>
        {
            Assert.True(r.GetProperty("rlpt_tokens_per_second").GetDouble() > 0);
            Assert.True(r.GetProperty("llama_cpp_tokens_per_second").GetDouble() > 0);
        });
    }
}
