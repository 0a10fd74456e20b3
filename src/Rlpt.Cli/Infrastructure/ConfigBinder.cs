using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Infrastructure;

/// <summary>
/// Resolves a config record in three layers: documented defaults, then the --config JSON file, then the flags
/// the user actually gave. Keys are the flags' long names with underscores (<c>--learning-rate</c> ↔
/// <c>learning_rate</c>); the file may also set the command's own options (data, preset, ...). Unknown keys
/// are errors, so a typo never silently falls back to a default.
/// </summary>
public static class ConfigBinder
{
    public static T Bind<T>(CommonSettings settings) where T : new() => (T)Bind(typeof(T), settings);

    /// <summary>The same for a record type known only at run time (an objective's options).</summary>
    public static object Bind(Type type, CommonSettings settings)
    {
        var defaults = Activator.CreateInstance(type) ?? throw new ArgumentException($"{type.Name} has no default constructor.");
        var node = JsonSerializer.SerializeToNode(defaults, type)!.AsObject();
        var recordKeys = type.GetProperties()
            .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name)
            .OfType<string>().ToHashSet();
        var options = settings.GetType().GetProperties()
            .Select(p => (Property: p, Option: p.GetCustomAttribute<CommandOptionAttribute>()))
            .Where(o => o.Option is not null && o.Option.LongNames.Count > 0)
            .ToDictionary(o => o.Option!.LongNames[0].Replace('-', '_'), o => o.Property);

        if (settings.Config is not null)
        {
            foreach (var (key, value) in ReadObject(settings.Config))
            {
                if (recordKeys.Contains(key)) node[key] = value?.DeepClone();
                else if (options.TryGetValue(key, out var property)) FillFromFile(settings, property, value, settings.Config);
                else throw new ArgumentException($"{settings.Config}: unknown option '{key}'.");
            }
        }
        foreach (var (key, property) in options)
        {
            if (recordKeys.Contains(key) && property.GetValue(settings) is { } value)
                node[key] = JsonSerializer.SerializeToNode(value);
        }
        try
        {
            return node.Deserialize(type) ?? defaults;
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"invalid value for '{e.Path?.TrimStart('$', '.')}' in the configuration.", e);
        }
    }

    /// <summary>A file value applies only where the flag was not given (null, or still its documented default).</summary>
    private static void FillFromFile(CommandSettings settings, PropertyInfo property, JsonNode? value, string file)
    {
        var current = property.GetValue(settings);
        var fallback = property.GetCustomAttribute<DefaultValueAttribute>()?.Value;
        bool given = current is not null && !Equals(current, fallback) && !(current is bool b && !b) && !(current is Array { Length: 0 });
        if (given || value is null) return;
        try
        {
            property.SetValue(settings, value.Deserialize(property.PropertyType));
        }
        catch (JsonException)
        {
            throw new ArgumentException($"{file}: invalid value for '{property.GetCustomAttribute<CommandOptionAttribute>()!.LongNames[0]}'.");
        }
    }

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
