// Generate from a Hugging Face model folder (config.json, model.safetensors or shards, tokenizer.json,
// tokenizer_config.json with its chat template, generation_config.json): a Llama 3 / Qwen2.5 / Qwen3 checkpoint, or
// any folder Rlpt wrote.
// Usage: dotnet run --project samples/GenerateFromFolder -- MODEL_DIR ["user message"] [samples]
using System.Globalization;
using Rlpt.Generation;
using Rlpt.Interop.HuggingFace;
using Rlpt.Tokenization;
using static TorchSharp.torch;

if (args.Length == 0)
{
    Console.Error.WriteLine("usage: GenerateFromFolder MODEL_DIR [\"user message\"] [samples]");
    return 2;
}
string folder = args[0], message = args.Length > 1 ? args[1] : "Tell me a story.";
int count = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;

var (model, tokenizer) = ModelFolder.Load(folder, CPU);
using (model)
{
    // The folder's own chat template (Jinja, as transformers renders it) and sampling defaults (generation_config.json).
    var info = ModelFolder.ReadInfo(folder);
    string prompt = info.RenderChat([new ChatMessage("user", message)]);
    var defaults = info.Generation;
    var requests = Enumerable.Range(0, count).Select(seed => new GenerationRequest(tokenizer.Encode(prompt), new SamplingOptions
    {
        MaxNewTokens = Math.Min(defaults.MaxNewTokens ?? 32, 32),
        Temperature = defaults.Temperature ?? 0.8,
        TopP = defaults.TopP ?? 0.95,
        Seed = seed,
    })).ToArray();
    Console.WriteLine($"prompt ({requests[0].PromptIds.Count} tokens, template {(info.HasOwnChatTemplate ? "of the folder" : "Rlpt's default")}):");
    Console.WriteLine(prompt);
    foreach (var (result, i) in new BatchGenerator(model, tokenizer).Generate(requests).Select((r, i) => (r, i)))
        Console.WriteLine($"sample {i}: {result.TokenIds.Count} tokens, finish {result.FinishReason}, ids [{string.Join(',', result.TokenIds)}]: {result.Text}");
}
return 0;
