package dev.flowline.platform.rest;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * The WAR serves nothing but the API: whatever would reach the container's default servlet (a path outside
 * {@code /api/v1}, or one that escapes it such as {@code /api/v1/..%2F}) is a 404 problem, for every method. The
 * default servlet would answer HTML pages: 404 for GET, 405 or 501 for other methods.
 */
@WebFilter(servletNames = "default")
public class OutsideApiFilter extends HttpFilter {

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI();
        ContainerErrorServlet.write(response, WebApplicationExceptionMapper.problem(404).withInstance(path)
                .withRequestId(RequestIds.of(request, response)));
    }
}
