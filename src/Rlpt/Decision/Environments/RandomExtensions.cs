namespace Rlpt.Decision.Environments;

/// <summary>Draws the environments and learners need from a seeded <see cref="Random"/> (deterministic per seed).</summary>
public static class RandomExtensions
{
    /// <summary>A standard normal draw (Box–Muller; one of the pair is discarded, which keeps the stream stateless).</summary>
    public static double NextGaussian(this Random random)
    {
        double u1 = 1.0 - random.NextDouble(); // (0, 1]: log(0) is avoided
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A Beta(a, b) draw from two Gamma draws (Marsaglia–Tsang), for Thompson sampling on Bernoulli arms.</summary>
    public static double NextBeta(this Random random, double a, double b)
    {
        double x = random.NextGamma(a), y = random.NextGamma(b);
        return x / (x + y);
    }

    public static double NextGamma(this Random random, double shape)
    {
        if (shape < 1) return random.NextGamma(shape + 1) * Math.Pow(1.0 - random.NextDouble(), 1.0 / shape);
        double d = shape - 1.0 / 3.0, c = 1.0 / Math.Sqrt(9.0 * d);
        while (true)
        {
            double x, v;
            do { x = random.NextGaussian(); v = 1.0 + c * x; } while (v <= 0);
            v = v * v * v;
            double u = 1.0 - random.NextDouble();
            if (Math.Log(u) < 0.5 * x * x + d - d * v + d * Math.Log(v)) return d * v;
        }
    }

    /// <summary>A Dirichlet(1, …, 1) draw: a uniform point on the simplex.</summary>
    public static double[] NextUniformSimplex(this Random random, int size)
    {
        var draws = Enumerable.Range(0, size).Select(_ => -Math.Log(1.0 - random.NextDouble())).ToArray();
        double total = draws.Sum();
        return draws.Select(d => d / total).ToArray();
    }

    /// <summary>An index drawn from a probability vector.</summary>
    public static int NextCategorical(this Random random, IReadOnlyList<double> probabilities)
    {
        double u = random.NextDouble(), cumulative = 0;
        for (int i = 0; i < probabilities.Count; i++)
        {
            cumulative += probabilities[i];
            if (u < cumulative) return i;
        }
        return probabilities.Count - 1;
    }
}
