package ai.phospho.reactive;

import org.junit.jupiter.api.Test;
import org.testng.TestListenerAdapter;
import org.testng.TestNG;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the Reactive Streams TCK ({@link TappedPublisherVerification}, TestNG-based) through TestNG's
 * API, so that the JUnit Platform run of surefire covers it without a second test engine.
 */
class StreamTckTest {

	@Test
	void aLoggedPublisherPassesTheReactiveStreamsTck() {
		TestListenerAdapter results = new TestListenerAdapter();
		TestNG testng = new TestNG(false);
		testng.setTestClasses(new Class<?>[] {TappedPublisherVerification.class, LoggedMonoVerification.class});
		testng.setUseDefaultListeners(false);
		testng.setVerbose(0);
		testng.addListener(results);
		testng.run();

		assertThat(results.getFailedTests()).as("failed TCK rules")
				.extracting(r -> r.getName() + ": " + r.getThrowable())
				.isEmpty();
		assertThat(results.getConfigurationFailures()).isEmpty();
		assertThat(results.getPassedTests()).hasSizeGreaterThan(30);
		System.out.println("TCK: passed " + results.getPassedTests().size() + ", skipped "
				+ results.getSkippedTests().size());
	}
}
