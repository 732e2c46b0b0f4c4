package ai.phospho.reactive.internal;

import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationConfig;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.ValueSerializerModifier;
import tools.jackson.databind.ser.bean.BeanSerializerBase;
import tools.jackson.databind.ser.impl.UnknownSerializer;
import tools.jackson.databind.ser.std.ToStringSerializer;

/** The one Jackson mapper of phospho-reactive, and JSON text of plain values. Internal: not public API. */
public final class Json {

	static final JsonMapper MAPPER = JsonMapper.builder()
			.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.addModule(new SimpleModule("phospho-plain").setSerializerModifier(new JdkTypesAsStrings()))
			.build();

	private Json() {
	}

	/** The JSON mapper shared by phospho-reactive. */
	public static JsonMapper mapper() {
		return MAPPER;
	}

	/** The compact JSON text of a plain value; a string stays as it is. */
	public static String text(@Nullable Object plain) {
		if (plain instanceof String s) {
			return s;
		}
		try {
			return MAPPER.writeValueAsString(plain);
		}
		catch (JacksonException e) {
			return Plain.stringForm(plain);
		}
	}

	/** JDK types that are not data (a {@code Thread}, a {@code Path}): written as their string form. */
	static boolean isJdkType(Class<?> type) {
		String name = type.getName();
		return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
				|| name.startsWith("sun.") || name.startsWith("com.sun.") || type.isSynthetic()
				|| AtomicBoolean.class == type;
	}

	/**
	 * Inside records and beans, JDK types that Jackson would read as beans (a {@code Thread} with its
	 * stack trace and class loader, an {@code Object}) are written as their string form, as they are
	 * at the top level.
	 */
	private static final class JdkTypesAsStrings extends ValueSerializerModifier {
		@Override
		public ValueSerializer<?> modifySerializer(SerializationConfig config, BeanDescription.Supplier beanDesc,
				ValueSerializer<?> serializer) {
			if ((serializer instanceof BeanSerializerBase || serializer instanceof UnknownSerializer)
					&& isJdkType(beanDesc.getBeanClass())) {
				return ToStringSerializer.instance;
			}
			return serializer;
		}
	}
}
