using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Infrastructure;

/// <summary>
/// Resolves a config record in three layers: documented defaults, then the --config JSON file, then the flags
/// the user actually gave. Flags bind by name: <c>--learning-rate</c> sets <c>learning_rate</c>. Unknown keys in
/// the file are errors, so a typo never silently falls back to a default.
/// </summary>
public static class ConfigBinder
{
    public static T Bind<T>(string? configFile, CommandSettings settings, string? section = null) where T : new()
    {
        var node = JsonSerializer.SerializeToNode(new T())!.AsObject();
        var known = typeof(T).GetProperties()
            .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name)
            .OfType<string>().ToHashSet();
        if (configFile is not null)
        {
            var file = ReadObject(configFile);
            var source = section is null ? file : file[section] as JsonObject;
            foreach (var (key, value) in source ?? [])
            {
                if (!known.Contains(key))
                {
                    // Keys of other sections and of the shared options are fine in a sectioned file.
                    if (section is null && !SharedKeys.Contains(key)) throw new ArgumentException($"{configFile}: unknown option '{key}'.");
                    continue;
                }
                node[key] = value?.DeepClone();
            }
        }
        foreach (var property in settings.GetType().GetProperties())
        {
            var option = property.GetCustomAttribute<CommandOptionAttribute>();
            var value = property.GetValue(settings);
            if (option is null || value is null) continue;
            var key = option.LongNames.FirstOrDefault()?.Replace('-', '_');
            if (key is not null && known.Contains(key)) node[key] = JsonSerializer.SerializeToNode(value);
        }
        try
        {
            return node.Deserialize<T>() ?? new T();
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"invalid value for '{e.Path?.TrimStart('$', '.')}' ({e.Message.Split('.')[0]}).", e);
        }
    }

    /// <summary>Keys a flat config file may hold besides the record's own (they configure the command itself).</summary>
    private static readonly HashSet<string> SharedKeys = ["device", "threads", "out", "data", "text", "tokenizer", "preset", "model_config", "model"];

    public static JsonObject ReadObject(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"config file not found: {path}", path);
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new InvalidDataException($"{path}: the config must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: invalid JSON ({e.Message.Split('.')[0]}).", e);
        }
    }
}
