using Rlpt.Interop.ChatTemplates;
using Rlpt.Tokenization;

namespace Rlpt.Tests.Interop.ChatTemplates;

/// <summary>Each construct of the Jinja subset against output worked out by hand from Jinja's rules.</summary>
public sealed class ChatTemplateSyntaxTests
{
    private static readonly ChatMessage[] Conversation = [new("user", "a"), new("assistant", "b"), new("user", "c")];

    private static string Render(string template, IReadOnlyDictionary<string, object?>? variables = null) =>
        ChatTemplate.Parse(template).Render(Conversation, addGenerationPrompt: false, variables);

    [Theory]
    [InlineData("{% for x in ['a', 'b', 'c'] %}{{ loop.index }}/{{ loop.length }}:{{ x }}{% if loop.first %}(first){% endif %}{% if not loop.last %}, {% endif %}{% endfor %}",
        "1/3:a(first), 2/3:b, 3/3:c")]
    [InlineData("{% for x in [10, 20] %}{{ loop.index0 }}{{ loop.revindex }}{% endfor %}", "0211")]
    [InlineData("{% for k, v in {'b': 1, 'a': 2}.items() %}{{ k }}={{ v }};{% endfor %}", "b=1;a=2;")]
    [InlineData("{% for k, v in {'y': 1} | items %}{{ k }}{{ v }}{% endfor %}{% for k in {'x': 1, 'z': 2} %}{{ k }}{% endfor %}", "y1xz")]
    [InlineData("{% for n in range(6) if n is odd %}{{ n }}{{ ',' if not loop.last }}{% endfor %}", "1,3,5")]
    [InlineData("{% for x in [] %}x{% else %}empty{% endfor %}", "empty")]
    [InlineData("{% for n in range(10) %}{% if n == 2 %}{% continue %}{% endif %}{% if n > 4 %}{% break %}{% endif %}{{ n }}{% endfor %}", "0134")]
    [InlineData("{% for m in messages %}{{ m.role[0] }}{{ m['content'] }}{% endfor %}", "uaabuc")]
    [InlineData("{% for x in 'abc' %}{{ loop.previtem | default('-') }}{{ x }}{{ loop.nextitem | default('-') }}{{ loop.cycle('+', '*') }}{% endfor %}", "-ab+abc*bc-+")]
    [InlineData("{% for m in messages %}{% generation %}{{ m.content }}{% endgeneration %}{% endfor %}", "abc")]
    public void LoopsAndLoopVariables(string template, string expected) => Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData(3, "big")]
    [InlineData(2, "two")]
    [InlineData(1, "small")]
    public void IfElifElse(int n, string expected) =>
        Assert.Equal(expected, Render("{% if n > 2 %}big{% elif n == 2 %}two{% else %}small{% endif %}", new Dictionary<string, object?> { ["n"] = n }));

    [Theory]
    // trim_blocks drops the newline after a block tag, lstrip_blocks the indentation before it; the trailing newline goes.
    [InlineData("<ul>\n  {% for x in [1, 2] %}\n  <li>{{ x }}</li>\n  {% endfor %}\n</ul>\n", "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>")]
    [InlineData("a  {{- 'b' -}}  \n c", "abc")]
    [InlineData("{% if true -%}\n   x\n{%- endif %}", "x")]
    [InlineData("  {%+ if true %}x{% endif %}", "  x")]
    [InlineData("{% if true +%}\nx{% endif %}", "\nx")]
    [InlineData("  {{ 'x' }}\ny", "  x\ny")]
    [InlineData("a\n  {# note #}\nb", "a\nb")]
    [InlineData("a {# note -#}   b", "a b")]
    [InlineData("x {% if true %}y{% endif %}", "x y")]
    public void WhitespaceControlFollowsTransformersSettings(string template, string expected) => Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{% set ns = namespace(count=0, names='') %}{% for x in ['a', 'b', 'c'] %}{% set ns.count = ns.count + 1 %}{% set ns.names = ns.names ~ x %}{% set local = x %}{% endfor %}{{ ns.count }} {{ ns.names }} {{ local is defined }}",
        "3 abc False")]
    [InlineData("{% set greeting %}Hi {{ name }}{% endset %}{{ greeting | upper }}", "HI ADA")]
    [InlineData("{% set a, b = 1, 2 %}{{ a + b }}", "3")]
    [InlineData("{% set name = 'top' %}{% if true %}{% set name = 'if' %}{% endif %}{{ name }}", "if")]
    [InlineData("{% macro tag(name, cls='x') %}<{{ name }} class=\"{{ cls }}\">{% endmacro %}{{ tag('p') }}{{ tag('div', cls='y') }}", "<p class=\"x\"><div class=\"y\">")]
    public void SetNamespaceAndMacro(string template, string expected) =>
        Assert.Equal(expected, Render(template, new Dictionary<string, object?> { ["name"] = "ada" }));

    [Theory]
    [InlineData("{{ [1, 2, 3, 4][1:] }}", "[2, 3, 4]")]
    [InlineData("{{ 'hello'[::-1] }}", "olleh")]
    [InlineData("{{ [1, 2, 3, 4][-2:] }}", "[3, 4]")]
    [InlineData("{{ [1, 2, 3, 4, 5][::2] }}", "[1, 3, 5]")]
    [InlineData("{{ 'abcdef'[1:-1:2] }}", "bd")]
    [InlineData("{{ [1, 2, 3][5:] }}", "[]")]
    [InlineData("{{ [1, 2, 3][:-1] | join(',') }}", "1,2")]
    [InlineData("{% for m in messages[::-1] %}{{ m.content }}{% endfor %}{{ messages[1:][0].content }}", "cbab")]
    public void Slicing(string template, string expected) => Assert.Equal(expected, Render(template));

    [Fact]
    public void Tests()
    {
        var template = "{{ x is defined }},{{ y is defined }},{{ none is none }},{{ 'a' is string }},{{ {} is mapping }},{{ 'a' is mapping }},"
            + "{{ [1] is iterable }},{{ 3 is odd }},{{ 2 is odd }},{{ 4 is divisibleby 3 }},{{ 1 is not none }},{{ 5 is integer }},{{ 5.0 is float }},"
            + "{{ false is false }},{{ 0 is false }},{{ 'b' is in ['a', 'b'] }},{{ 2 is equalto(2) }},{{ y is undefined }}";
        Assert.Equal("True,False,True,True,True,False,True,True,False,False,True,True,True,True,False,True,True,True",
            Render(template, new Dictionary<string, object?> { ["x"] = 1 }));
    }

    [Fact]
    public void StringAndDictMethods()
    {
        var template = "{{ '  Hi There  '.strip() }}|{{ 'xxhixx'.strip('x') }}|{{ '\\n\\nab'.lstrip('\\n') }}|{{ 'ab  '.rstrip() }}|"
            + "{{ 'a,b,,c'.split(',') }}|{{ ' a  b '.split() }}|{{ 'a-b-c'.rsplit('-', 1) }}|{{ 'Hi'.upper() }}{{ 'Hi'.lower() }}|"
            + "{{ 'aaa'.replace('a', 'b', 2) }}|{{ 'think</think>answer'.split('</think>')[-1] }}|{{ 'abc'.startswith('ab') }}{{ 'abc'.endswith(('x', 'c')) }}|"
            + "{% set d = {'a': 1, 'b': [2]} %}{{ d.a }}{{ d['b'][0] }}{{ d.missing }}|{{ d.get('missing', 'g') }}{{ d.get('a') }}{{ d.keys() | list | length }}";
        Assert.Equal("Hi There|hi|ab|ab|['a', 'b', '', 'c']|['a', 'b']|['a-b', 'c']|HIhi|bba|answer|TrueTrue|12|g12", Render(template));
    }

    [Fact]
    public void Filters()
    {
        var template = "{{ '  x  ' | trim }}|{{ [1, 2, 3] | length }}|{{ 'ab' | upper }}|{{ 'AB' | lower }}|{{ 42 | string ~ '!' }}|{{ [1, 2] | join('-') }}|"
            + "{{ missing | default('dflt') }}|{{ '' | default('e', true) }}|{{ '' | default('e') }}|{{ [3, 4] | first }}{{ [3, 4] | last }}|{{ 'abc' | list }}|"
            + "{{ 'a-b' | replace('-', '+') }}|{{ '42' | int + 1 }}|{{ 'x' | safe }}|{{ [1, 2, 3, 4] | select('odd') | list }}|"
            + "{{ [1, 2, 3] | reject('equalto', 2) | join(',') }}|{{ messages | selectattr('role', 'equalto', 'user') | map(attribute='content') | join(',') }}";
        Assert.Equal("x|3|AB|ab|42!|1-2|dflt|e||34|['a', 'b', 'c']|a+b|43|x|[1, 3]|1,3|a,c", Render(template));
    }

    [Fact]
    public void ToJsonIsPythonJsonDumps()
    {
        Assert.Equal("{\"name\": \"f\", \"args\": [1, 2.5, true, null], \"text\": \"é\\\"\\n\"}",
            Render("{{ {'name': 'f', 'args': [1, 2.5, true, none], 'text': 'é\"\\n'} | tojson }}"));
        Assert.Equal("{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}", Render("{{ {'a': [1, 2], 'b': {}} | tojson(indent=2) }}"));
        var tools = new[] { new Dictionary<string, object?> { ["name"] = "get_time", ["parameters"] = new Dictionary<string, object?>() } };
        Assert.Equal("[{\"name\": \"get_time\", \"parameters\": {}}]", Render("{{ tools | tojson }}", new Dictionary<string, object?> { ["tools"] = tools }));
    }

    [Theory]
    [InlineData("{{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 7 / 2 }} {{ 2 ** 10 }} {{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 'a' ~ 1 ~ none }} {{ 'ab' * 2 }} {{ 1.5 + 1 }} {{ 4 / 2 }}",
        "3 -4 1 2 3.5 1024 7 9 a1None abab 2.5 2.0")]
    [InlineData("{{ 1 < 2 < 3 }} {{ 'b' in 'abc' }} {{ 'x' not in ['x'] }} {{ none or 'fallback' }} {{ 0 and 1 }} {{ not [] }} {{ 'yes' if 1 == 1.0 else 'no' }} {{ 'a' if false }}|",
        "True True False fallback 0 True yes |")]
    [InlineData("{{ \"tab\\there\" }}{{ 'it\\'s' }}{{ True }}{{ None }}{{ 1e3 }}{{ [1, 'a', [none]] }}{{ {'k': 'v'} }}{{ 'a' 'b' }}",
        "tab\there" + "it's" + "True" + "None" + "1000.0" + "[1, 'a', [None]]" + "{'k': 'v'}" + "ab")]
    [InlineData("{{ -x | abs }} {{ messages | length - 1 }} {{ (messages | length) * 2 }}", "3 2 6")]
    [InlineData("{{ 'ab' | reverse }}{{ [1, 2] | reverse | list }}{{ 'hello world' | capitalize }}{{ 'hello world'.title() }}{{ '\\x41\\u00e9' }}{{ 'a-b'.find('-') }}{{ ','.join(['x', 'y']) }}",
        "ba[2, 1]Hello worldHello WorldAé1x,y")]
    public void Expressions(string template, string expected) =>
        Assert.Equal(expected, Render(template, new Dictionary<string, object?> { ["x"] = 3 }));
}
