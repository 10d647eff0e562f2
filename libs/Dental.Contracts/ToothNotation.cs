namespace Dental.Contracts;

public static class ToothNotation
{
    public const string Fdi = "fdi";
    public const string Universal = "universal";
}
