using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dental.ServiceDefaults;

public static class OptionsExtensions
{
    /// <summary>
    /// Binds a configuration section and validates it when the host starts, so a missing or wrong
    /// setting stops the service at once with a message naming the setting.
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section)
        where T : class
    {
        return services.AddOptions<T>()
            .BindConfiguration(section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
    }
}
