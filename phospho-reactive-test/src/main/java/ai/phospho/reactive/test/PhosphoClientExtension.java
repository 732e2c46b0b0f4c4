package ai.phospho.reactive.test;

import java.util.Objects;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit Jupiter extension that gives each test that asks for one (as a parameter of the test
 * method, of {@code @BeforeEach} or of the constructor) a {@link PhosphoTestClient}, installed as
 * the client of the static {@code Phospho} API, and closes it after the test: shut down, and the
 * static API back to what it was. Within one test every parameter gets the same client.
 *
 * <pre>{@code
 * @ExtendWith(PhosphoClientExtension.class)
 * class MyTest {
 *     @Test
 *     void answersAreLogged(PhosphoTestClient phospho) {
 *         myService.answer("hi").block();
 *         assertThat(phospho.onlyTask().input()).isEqualTo("hi");
 *     }
 * }
 * }</pre>
 */
public final class PhosphoClientExtension implements ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE =
			ExtensionContext.Namespace.create(PhosphoClientExtension.class);

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
		return parameter.getParameter().getType() == PhosphoTestClient.class;
	}

	@Override
	@SuppressWarnings("deprecation") // getOrComputeIfAbsent: also present in JUnit 5, unlike its successor
	public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
		// Never null: the store computes the value when it is absent.
		return Objects.requireNonNull(context.getStore(NAMESPACE).getOrComputeIfAbsent(PhosphoTestClient.class,
				k -> new Resource(PhosphoTestClient.create().install()), Resource.class)).client;
	}

	/** Closed by JUnit when the test ends, in JUnit 5 ({@code CloseableResource}) and 6 ({@code AutoCloseable}). */
	@SuppressWarnings("deprecation")
	private record Resource(PhosphoTestClient client)
			implements ExtensionContext.Store.CloseableResource, AutoCloseable {
		@Override
		public void close() {
			client.close();
		}
	}
}
