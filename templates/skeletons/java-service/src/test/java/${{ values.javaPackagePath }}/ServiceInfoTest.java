package ${{ values.javaPackage }};

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceInfoTest {
  @Test
  void readsDatadogTagsFromTheEnvironment() {
    Map<String, String> env = Map.of("DD_SERVICE", "${{ values.name }}", "DD_ENV", "staging", "DD_VERSION", "abc123");
    ServiceInfo info = ServiceInfo.fromEnvironment(env::get);
    assertEquals(Map.of("service", "${{ values.name }}", "env", "staging", "version", "abc123"), info.tags());
  }

  @Test
  void fallsBackWhenRunLocally() {
    ServiceInfo info = ServiceInfo.fromEnvironment(name -> null);
    assertEquals("local", info.environment());
    assertEquals("dev", info.version());
  }
}
