/**
 * Spring Boot auto-configuration for phospho: {@code phospho.*} properties, a
 * {@link ai.phospho.reactive.PhosphoClient} bean that the static {@link ai.phospho.reactive.Phospho}
 * API uses too, a flush on graceful shutdown, Micrometer metrics and actuator sanitising of the key.
 *
 * <p>Only {@link ai.phospho.reactive.spring.PhosphoProperties} and
 * {@link ai.phospho.reactive.spring.PhosphoAutoConfiguration} are public; the rest is package-private.
 */
@NullMarked
package ai.phospho.reactive.spring;

import org.jspecify.annotations.NullMarked;
