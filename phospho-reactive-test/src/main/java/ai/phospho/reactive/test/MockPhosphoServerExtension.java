package ai.phospho.reactive.test;

import java.util.Objects;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit Jupiter extension that starts a {@link MockPhosphoServer} for each test that asks for one
 * as a parameter (of the test method, of {@code @BeforeEach} or of the constructor), and stops it
 * after the test. Within one test every parameter gets the same server.
 *
 * <pre>{@code
 * @ExtendWith(MockPhosphoServerExtension.class)
 * class MyTest {
 *     @Test
 *     void logsReachPhospho(MockPhosphoServer server) { ... }
 * }
 * }</pre>
 */
public final class MockPhosphoServerExtension implements ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE =
			ExtensionContext.Namespace.create(MockPhosphoServerExtension.class);

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
		return parameter.getParameter().getType() == MockPhosphoServer.class;
	}

	@Override
	@SuppressWarnings("deprecation") // getOrComputeIfAbsent: also present in JUnit 5, unlike its successor
	public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
		// The store closes the AutoCloseable server when the context (the test) ends.
		// Never null: the function always returns a Resource (JUnit declares the result @Nullable).
		return Objects.requireNonNull(context.getStore(NAMESPACE).getOrComputeIfAbsent(MockPhosphoServer.class,
				k -> new Resource(MockPhosphoServer.start()), Resource.class)).server;
	}

	/** Closed by JUnit when the test ends, in JUnit 5 ({@code CloseableResource}) and 6 ({@code AutoCloseable}). */
	@SuppressWarnings("deprecation")
	private record Resource(MockPhosphoServer server) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
		@Override
		public void close() {
			server.close();
		}
	}
}
