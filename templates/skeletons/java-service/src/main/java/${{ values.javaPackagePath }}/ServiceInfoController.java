package ${{ values.javaPackage }};

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ServiceInfoController {
  private final ServiceInfo info = ServiceInfo.fromEnvironment(System::getenv);

  @GetMapping("/")
  public ServiceInfo info() {
    return info;
  }
}
