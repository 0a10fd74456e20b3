using System.Diagnostics;
using Rlpt.Interop.ChatTemplates;
using Rlpt.Tokenization;

namespace Rlpt.Tests.Interop.ChatTemplates;

/// <summary>
/// Templates are untrusted code from downloaded folders: each hostile one below must fail fast with a clear error —
/// not hang, exhaust memory, overflow the stack or reach .NET — and be rendered on a thread-pool thread, whose stack
/// is smaller than the main thread's, as the server renders.
/// </summary>
public sealed class HostileTemplateTests
{
    private static readonly ChatMessage[] Messages = [new("user", "hi")];

    private static async Task<string> Detail(string template)
    {
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<ChatTemplateException>(() => Task.Run(() => ChatTemplate.Parse(template).Render(Messages, addGenerationPrompt: true)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"refused only after {clock.Elapsed.TotalSeconds:F1} s: {error.Detail}");
        return error.Detail;
    }

    [Theory]
    [InlineData("{% for i in range(1000000) %}{% for j in range(1000000) %}{% endfor %}{% endfor %}", "more than 1,000,000 loop iterations")]
    [InlineData("{% for i in range(1000000) if i > 0 %}{% endfor %}{% for i in range(10) %}{% endfor %}", "more than 1,000,000 loop iterations")]
    [InlineData("{{ range(1000000000) | length }}", "range() of 1000000000 items is too long")]
    [InlineData("{{ 'a' * 1000000000 }}", "repetition by 1000000000 is too large")]
    [InlineData("{{ ['a'] * 9223372036854775807 }}", "repetition by 9223372036854775807 is too large")]
    [InlineData("{% set ns = namespace(s='xy') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}", "the template built a value of")]
    [InlineData("{% set ns = namespace(s='xy') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}", "the template built a value of")]
    [InlineData("{{ (['x' * 1000000] * 1000) | join }}", "the template built a value of")]
    [InlineData("{{ (['x' * 1000000] * 1000) | join(', ') }}", "the template built a value of")]
    [InlineData("{{ (['x' * 1000000] * 1000) | tojson }}", "tojson output exceeds")]
    [InlineData("{{ ('x' * 5000000).replace('x', 'xyz') }}", "the template built a value of")]
    [InlineData("{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}", "the template's output exceeds 10,000,000 characters")]
    [InlineData("{% for i in range(1000) %}{% set x %}{{ 'y' * 100000 }}{% endset %}{% endfor %}", "more than 50,000,000 characters in all")]
    [InlineData("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "macro calls nested deeper than 100")]
    [InlineData("{% macro f(n) %}{% for i in range(2) %}{{ f(n) }}{% endfor %}{% endmacro %}{{ f(0) }}", "macro calls nested deeper than 100")]
    public async Task ResourceHungryTemplatesAreStoppedWithTheLimitTheyHit(string template, string detail) =>
        Assert.Contains(detail, await Detail(template));

    [Fact]
    public void NestingTooDeepToRenderSafelyIsRefusedWhenParsing()
    {
        foreach (var template in new[]
                 {
                     "{{ " + new string('(', 5000) + "1" + new string(')', 5000) + " }}",
                     "{{ " + string.Concat(Enumerable.Repeat("not ", 5000)) + "x }}",
                     "{{ " + new string('-', 5000) + "1 }}",
                     "{{ " + new string('[', 5000) + new string(']', 5000) + " }}",
                     string.Concat(Enumerable.Repeat("{% if true %}", 5000)) + string.Concat(Enumerable.Repeat("{% endif %}", 5000)),
                 })
            Assert.Contains("nested deeper than 100 levels", Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse(template)).Detail);
        // Real templates nest a few levels: 20 is fine.
        Assert.Equal("1", ChatTemplate.Parse("{{ " + new string('(', 20) + "1" + new string(')', 20) + " }}").Render(Messages, false));
    }

    [Fact]
    public void TemplatesReachNoDotNetObjectAndCannotChangeTheirInputs()
    {
        // Python's escape hatches and .NET's members are not attributes here: they are undefined (printing nothing, and
        // an error if used further), never objects of the host.
        foreach (var probe in new[] { "''.__class__", "messages.__class__", "messages[0].GetType", "range.__globals__", "namespace.Method", "raise_exception.Target" })
            Assert.Equal("", ChatTemplate.Parse("{{ " + probe + " }}").Render(Messages, false));
        Assert.Contains("has no attribute '__class__'", Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse("{{ messages.__class__.__mro__ }}").Render(Messages, false)).Detail);
        Assert.Contains("has no attribute 'GetType'", Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse("{{ 'a'.GetType() }}").Render(Messages, false)).Detail);
        Assert.Contains("has no attribute 'append'", Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse("{{ messages.append(1) }}").Render(Messages, false)).Detail);
        Assert.Contains("has no attribute 'update'", Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse("{{ messages[0].update({'role': 'system'}) }}").Render(Messages, false)).Detail);
        Assert.Equal("user", Messages[0].Role);
    }

    [Fact]
    public void EachRenderHasItsOwnBudget()
    {
        // Just under the output limit, twice in a row: the second render starts from a fresh budget.
        var template = ChatTemplate.Parse("{% for i in range(9000) %}{{ 'x' * 1000 }}{% endfor %}");
        Assert.Equal(9_000_000, template.Render(Messages, false).Length);
        Assert.Equal(9_000_000, template.Render(Messages, false).Length);
    }
}
