package ${{ values.javaPackage }};

import java.util.Map;
import java.util.function.Function;

/** Who this instance is, from Datadog's unified service tags that the Helm chart sets. */
public record ServiceInfo(String service, String environment, String version) {

  public static ServiceInfo fromEnvironment(Function<String, String> getenv) {
    return new ServiceInfo(
        orDefault(getenv.apply("DD_SERVICE"), "${{ values.name }}"),
        orDefault(getenv.apply("DD_ENV"), "local"),
        orDefault(getenv.apply("DD_VERSION"), "dev"));
  }

  /** The tags every metric carries. */
  public Map<String, String> tags() {
    return Map.of("service", service, "env", environment, "version", version);
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
