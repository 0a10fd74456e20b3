using System.Text.Json.Nodes;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Tests.Generation;
using Rlpt.Tests.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Tests.Interop.HuggingFace;

/// <summary>Hugging Face checkpoints of every architecture in every weight dtype, whole or sharded, load back to the same logits.</summary>
public sealed class HfCheckpointTests(GenerationFixture fixture) : IClassFixture<GenerationFixture>
{
    /// <summary>Small enough that the tiny models split into several shards.</summary>
    private const long ShardBytes = 8 * 1024;

    public static TheoryData<string, string, bool> Layouts()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var architecture in new[] { "llama", "qwen2", "qwen3" })
            foreach (var dtype in new[] { "float32", "bfloat16", "float16" })
                foreach (var sharded in new[] { false, true })
                    data.Add(architecture, dtype, sharded);
        return data;
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void LoadsBackToTheLogitsOfTheSavedWeights(string architecture, string dtypeName, bool sharded)
    {
        var dtype = dtypeName switch { "bfloat16" => ScalarType.BFloat16, "float16" => ScalarType.Float16, _ => ScalarType.Float32 };
        using var dir = new TestDirectory();
        using var original = TinyModels.Create(architecture);
        using var reference = new CausalLM(original.Config);
        original.to(dtype);
        ModelFolder.Save(dir.Path, original, fixture.Tokenizer, sharded ? ShardBytes : null);
        // The reference computes in float32 from the weights as rounded to the saved dtype.
        using (NewDisposeScope()) ModelFolder.LoadWeights(reference, original.state_dict(), "original");
        reference.eval();

        var config = JsonNode.Parse(File.ReadAllText(dir.File("config.json")))!;
        Assert.Equal(dtypeName, config["torch_dtype"]!.GetValue<string>());
        var weightFiles = Directory.GetFiles(dir.Path, "*.safetensors");
        Assert.Equal(sharded, File.Exists(dir.File("model.safetensors.index.json")));
        Assert.True(sharded ? weightFiles.Length > 1 : weightFiles.Length == 1);
        using (var file = SafeTensors.Open(weightFiles[0]))
            Assert.Equal(dtypeName switch { "bfloat16" => "BF16", "float16" => "F16", _ => "F32" }, file.Tensors[0].DType);

        var (loaded, _) = ModelFolder.Load(dir.Path, CPU);
        using (loaded)
        using (NewDisposeScope())
        using (no_grad())
        {
            var ids = TinyModels.RandomTokens(2, 9);
            Assert.True(reference.Forward(ids).allclose(loaded.Forward(ids), rtol: 0, atol: 0));
        }
    }

    [Fact]
    public void ResavingInTheOtherLayoutLeavesNoStaleWeights()
    {
        using var dir = new TestDirectory();
        using var model = TinyModels.Create("llama");
        ModelFolder.Save(dir.Path, model, fixture.Tokenizer, ShardBytes);
        var shards = Directory.GetFiles(dir.Path, "model-*-of-*.safetensors").Length;
        Assert.True(shards > 1);
        ModelFolder.Save(dir.Path, model, fixture.Tokenizer);
        Assert.Equal(["model.safetensors"], Directory.GetFiles(dir.Path, "*.safetensors").Select(Path.GetFileName));
        Assert.False(File.Exists(dir.File("model.safetensors.index.json")));
        ModelFolder.Save(dir.Path, model, fixture.Tokenizer, ShardBytes);
        Assert.False(File.Exists(dir.File("model.safetensors")));
        Assert.Equal(shards, Directory.GetFiles(dir.Path, "model-*-of-*.safetensors").Length);
    }

    [Fact]
    public void TiedModelsIgnoreAnExtraLmHead()
    {
        using var dir = new TestDirectory();
        using var model = TinyModels.Create("qwen3", tied: true);
        ModelFolder.Save(dir.Path, model, fixture.Tokenizer);
        var weights = SafeTensors.Load(dir.File("model.safetensors"));
        Assert.DoesNotContain("lm_head.weight", weights.Keys);
        weights["lm_head.weight"] = weights["model.embed_tokens.weight"].clone();
        SafeTensors.Save(dir.File("model.safetensors"), weights);

        var (loaded, _) = ModelFolder.Load(dir.Path, CPU);
        using (loaded)
        using (NewDisposeScope())
        using (no_grad())
        {
            var ids = TinyModels.RandomTokens(1, 7);
            Assert.True(model.Forward(ids).allclose(loaded.Forward(ids), rtol: 0, atol: 0));
        }
    }

    [Fact]
    public void AMissingShardIsNamed()
    {
        using var dir = new TestDirectory();
        using var model = TinyModels.Create("qwen2");
        ModelFolder.Save(dir.Path, model, fixture.Tokenizer, ShardBytes);
        var victim = Directory.GetFiles(dir.Path, "model-*-of-*.safetensors").Order().Last();
        File.Delete(victim);
        var error = Assert.Throws<FileNotFoundException>(() => ModelFolder.Load(dir.Path, CPU));
        Assert.Contains($"Shard '{Path.GetFileName(victim)}'", error.Message);
        Assert.Contains("model.safetensors.index.json", error.Message);
        Assert.Contains("is missing", error.Message);
    }

    [Fact]
    public void AnIndexEntryWhoseShardLacksTheTensorIsNamed()
    {
        using var dir = new TestDirectory();
        using var model = TinyModels.Create("llama");
        ModelFolder.Save(dir.Path, model, fixture.Tokenizer, ShardBytes);
        var index = JsonNode.Parse(File.ReadAllText(dir.File("model.safetensors.index.json")))!;
        var map = index["weight_map"]!.AsObject();
        var shards = map.Select(p => p.Value!.GetValue<string>()).Distinct().Order().ToArray();
        var moved = map.First(p => p.Value!.GetValue<string>() != shards[0]).Key;
        map[moved] = shards[0];
        File.WriteAllText(dir.File("model.safetensors.index.json"), index.ToJsonString());
        var error = Assert.Throws<InvalidDataException>(() => ModelFolder.Load(dir.Path, CPU));
        Assert.Contains($"maps '{moved}' to '{shards[0]}', but that shard has no such tensor", error.Message);
    }

    [Fact]
    public void AnIndexThatOmitsATensorReportsItMissing()
    {
        using var dir = new TestDirectory();
        using var model = TinyModels.Create("qwen3");
        ModelFolder.Save(dir.Path, model, fixture.Tokenizer, ShardBytes);
        var index = JsonNode.Parse(File.ReadAllText(dir.File("model.safetensors.index.json")))!;
        index["weight_map"]!.AsObject().Remove("model.norm.weight");
        File.WriteAllText(dir.File("model.safetensors.index.json"), index.ToJsonString());
        var error = Assert.Throws<InvalidDataException>(() => ModelFolder.Load(dir.Path, CPU));
        Assert.Contains("missing model.norm.weight", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
