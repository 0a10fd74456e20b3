using System.Globalization;
using System.Numerics;

namespace Rlpt.Data.Corpora.Arithmetic;

/// <summary>
/// An exact rational number, always in lowest terms with a positive denominator, so equal values are equal
/// field by field. <c>default(Rational)</c> is zero.
/// </summary>
public readonly struct Rational : IEquatable<Rational>, IComparable<Rational>, IComparable
{
    // Stored as denominator - 1 so that default(Rational) is 0/1 rather than an invalid 0/0.
    private readonly BigInteger _denominatorMinusOne;

    public BigInteger Numerator { get; }
    public BigInteger Denominator => _denominatorMinusOne + BigInteger.One;

    public static Rational Zero => default;
    public static Rational One => new(BigInteger.One);

    public Rational(BigInteger integer)
    {
        Numerator = integer;
        _denominatorMinusOne = BigInteger.Zero;
    }

    /// <exception cref="DivideByZeroException"><paramref name="denominator"/> is zero.</exception>
    public Rational(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero) throw new DivideByZeroException($"Rational {numerator}/0 has a zero denominator.");
        if (denominator.Sign < 0)
        {
            numerator = -numerator;
            denominator = -denominator;
        }
        var gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
        Numerator = numerator / gcd;
        _denominatorMinusOne = denominator / gcd - BigInteger.One;
    }

    public bool IsInteger => _denominatorMinusOne.IsZero;
    public int Sign => Numerator.Sign;

    public static implicit operator Rational(int value) => new(value);
    public static implicit operator Rational(long value) => new(value);
    public static implicit operator Rational(BigInteger value) => new(value);

    public static Rational operator -(Rational value) => new(-value.Numerator, value.Denominator);

    public static Rational operator +(Rational a, Rational b) =>
        new(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator);

    public static Rational operator -(Rational a, Rational b) =>
        new(a.Numerator * b.Denominator - b.Numerator * a.Denominator, a.Denominator * b.Denominator);

    public static Rational operator *(Rational a, Rational b) =>
        new(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

    /// <exception cref="DivideByZeroException"><paramref name="b"/> is zero.</exception>
    public static Rational operator /(Rational a, Rational b)
    {
        if (b.Numerator.IsZero) throw new DivideByZeroException($"Division of {a} by zero.");
        return new(a.Numerator * b.Denominator, a.Denominator * b.Numerator);
    }

    public static bool TryDivide(Rational a, Rational b, out Rational quotient)
    {
        quotient = b.Numerator.IsZero ? default : a / b;
        return !b.Numerator.IsZero;
    }

    /// <summary>This value to an integer power; a negative exponent inverts.</summary>
    /// <exception cref="DivideByZeroException">Zero to a negative power.</exception>
    public Rational Pow(int exponent)
    {
        if (exponent >= 0) return new(BigInteger.Pow(Numerator, exponent), BigInteger.Pow(Denominator, exponent));
        if (Numerator.IsZero) throw new DivideByZeroException($"Zero to the negative power {exponent}.");
        return new(BigInteger.Pow(Denominator, -exponent), BigInteger.Pow(Numerator, -exponent));
    }

    /// <summary>
    /// The nearest double (or ±infinity). Both parts are scaled down first when they exceed double's range, so a
    /// ratio of two huge integers still comes out right instead of infinity / infinity.
    /// </summary>
    public double ToDouble()
    {
        var numerator = Numerator;
        var denominator = Denominator;
        var shift = (int)Math.Max(BigInteger.Abs(numerator).GetBitLength(), denominator.GetBitLength()) - 1000;
        if (shift > 0)
        {
            numerator >>= shift;
            denominator >>= shift;
            if (denominator.IsZero) return numerator.Sign * double.PositiveInfinity;
        }
        return (double)numerator / (double)denominator;
    }

    /// <summary>
    /// Parses an integer ("3", "-3"), a fraction ("3/4", "-3/4") or a decimal ("0.75", "-1.5", exact), with an
    /// optional leading '+' or '-' and surrounding white space. Mixed numbers ("1 1/2") are not accepted: they read
    /// like two numbers side by side, and nothing this library writes uses them.
    /// </summary>
    public static bool TryParse(string? text, out Rational value)
    {
        value = default;
        if (text is null) return false;
        var s = text.AsSpan().Trim();
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        var slash = s.IndexOf('/');
        var dot = s.IndexOf('.');
        if (slash >= 0)
        {
            if (!IsDigits(s[..slash]) || !IsDigits(s[(slash + 1)..])) return false;
            var denominator = BigInteger.Parse(s[(slash + 1)..], CultureInfo.InvariantCulture);
            if (denominator.IsZero) return false;
            value = new Rational(BigInteger.Parse(s[..slash], CultureInfo.InvariantCulture), denominator);
        }
        else if (dot >= 0)
        {
            var fraction = s[(dot + 1)..];
            if (!IsDigits(s[..dot]) || !IsDigits(fraction)) return false;
            var digits = BigInteger.Parse(string.Concat(s[..dot], fraction), CultureInfo.InvariantCulture);
            value = new Rational(digits, BigInteger.Pow(10, fraction.Length));
        }
        else
        {
            if (!IsDigits(s)) return false;
            value = new Rational(BigInteger.Parse(s, CultureInfo.InvariantCulture));
        }
        if (negative) value = -value;
        return true;
    }

    /// <exception cref="FormatException"><paramref name="text"/> is not a number <see cref="TryParse"/> accepts.</exception>
    public static Rational Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"'{text}' is not an integer, fraction or decimal.");

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty) return false;
        foreach (var c in s)
            if (!char.IsAsciiDigit(c)) return false;
        return true;
    }

    /// <summary>"n" for an integer, else "p/q" in lowest terms; the sign goes on the numerator.</summary>
    public override string ToString() =>
        IsInteger
            ? Numerator.ToString(CultureInfo.InvariantCulture)
            : $"{Numerator.ToString(CultureInfo.InvariantCulture)}/{Denominator.ToString(CultureInfo.InvariantCulture)}";

    public bool Equals(Rational other) => Numerator == other.Numerator && _denominatorMinusOne == other._denominatorMinusOne;
    public override bool Equals(object? obj) => obj is Rational other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(Numerator, _denominatorMinusOne);

    public int CompareTo(Rational other) =>
        (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);

    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        Rational other => CompareTo(other),
        _ => throw new ArgumentException("Can only compare with another Rational.", nameof(obj)),
    };

    public static bool operator ==(Rational a, Rational b) => a.Equals(b);
    public static bool operator !=(Rational a, Rational b) => !a.Equals(b);
    public static bool operator <(Rational a, Rational b) => a.CompareTo(b) < 0;
    public static bool operator >(Rational a, Rational b) => a.CompareTo(b) > 0;
    public static bool operator <=(Rational a, Rational b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Rational a, Rational b) => a.CompareTo(b) >= 0;
}
