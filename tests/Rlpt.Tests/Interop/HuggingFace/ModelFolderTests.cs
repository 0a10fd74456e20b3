using System.Text.Json.Nodes;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Tests.Generation;
using Rlpt.Tests.Modeling;
using static TorchSharp.torch;

namespace Rlpt.Tests.Interop.HuggingFace;

public sealed class ModelFolderTests(GenerationFixture fixture) : IClassFixture<GenerationFixture>
{
    [Fact]
    public void SavedFolderLoadsBackToTheSameLogitsInHuggingFaceLayout()
    {
        using var dir = new TestDirectory();
        ModelFolder.Save(dir.Path, fixture.Model, fixture.Tokenizer);
        foreach (var file in new[] { "config.json", "model.safetensors", "tokenizer.json", "generation_config.json" })
            Assert.True(File.Exists(dir.File(file)), file);
        var config = JsonNode.Parse(File.ReadAllText(dir.File("config.json")))!;
        Assert.Equal("Qwen3ForCausalLM", config["architectures"]![0]!.GetValue<string>());
        Assert.Equal(fixture.Tokenizer.EndOfTextId, config["eos_token_id"]!.GetValue<int>());
        Assert.Equal(2, config["num_key_value_heads"]!.GetValue<int>());

        var (model, tokenizer) = ModelFolder.Load(dir.Path, CPU);
        using (model)
        {
            using var scope = NewDisposeScope();
            using var guard = no_grad();
            var ids = tensor(fixture.Encode("Ada reads a book.").Select(t => (long)t).ToArray()).unsqueeze(0);
            Assert.True(fixture.Model.Forward(ids).allclose(model.Forward(ids), rtol: 0, atol: 0));
            Assert.Equal(fixture.Tokenizer.Encode("Eve sings"), tokenizer.Encode("Eve sings"));
        }
    }

    [Fact]
    public void AMismatchedCheckpointNamesTheOffendingTensors()
    {
        using var dir = new TestDirectory();
        ModelFolder.Save(dir.Path, fixture.Model, fixture.Tokenizer);
        var config = JsonNode.Parse(File.ReadAllText(dir.File("config.json")))!.AsObject();
        config["intermediate_size"] = 64;
        config["num_hidden_layers"] = 3;
        File.WriteAllText(dir.File("config.json"), config.ToJsonString());
        var error = Assert.Throws<InvalidDataException>(() => ModelFolder.Load(dir.Path, CPU));
        Assert.Contains("missing model.layers.2.", error.Message);
        Assert.Contains("mis-shaped model.layers.0.mlp.", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void ConfigErrorsAreClear()
    {
        using var dir = new TestDirectory();
        File.WriteAllText(dir.File("config.json"), """{"model_type": "gpt_neox"}""");
        Assert.Contains("gpt_neox", Assert.Throws<InvalidDataException>(() => ModelConfig.Load(dir.File("config.json"))).Message);
        File.WriteAllText(dir.File("config.json"), """{"model_type": "llama", "num_attention_heads": 6, "num_key_value_heads": 4, "hidden_size": 384}""");
        Assert.Contains("multiple of num_key_value_heads", Assert.Throws<InvalidDataException>(() => ModelConfig.Load(dir.File("config.json"))).Message);
        File.WriteAllText(dir.File("config.json"), "{ not json");
        Assert.Contains("invalid JSON", Assert.Throws<InvalidDataException>(() => ModelConfig.Load(dir.File("config.json"))).Message);
    }
}
