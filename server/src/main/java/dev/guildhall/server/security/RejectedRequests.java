package dev.guildhall.server.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.guildhall.server.api.Problems;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Requests Spring Security's firewall refuses before anything else sees them (an encoded ';', a line
 * break or a NUL in the path, say) get a problem document like every other 400, not Spring Boot's
 * generic error JSON. Spring Security uses a {@link RequestRejectedHandler} bean when there is one.
 */
@Configuration(proxyBeanMethods = false)
class RejectedRequests {
    @Bean
    RequestRejectedHandler problemOnRejectedRequest(ObjectMapper mapper) {
        return (request, response, e) -> {
            ProblemDetail problem = Problems.of(
                    HttpStatus.BAD_REQUEST,
                    Problems.MALFORMED,
                    "Malformed request",
                    "The request's path or headers contain characters the server does not accept");
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            mapper.writeValue(response.getOutputStream(), problem);
        };
    }
}
