package org.example.helpdesk.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * The design, as rules the build checks: what each module may depend on (the module READMEs say the
 * same in words), no package cycles inside a module, and rules that know nothing of Pekko, Jackson,
 * JDBC or HTTP.
 *
 * <p>The backoffice's features reach each other only as its root package-info says: the ticket's
 * domain knows no other feature, the inbox knows no dead letters, pages or sign-in, and the dead
 * letters reach the inbox only through its named interfaces ({@code DeadLetterStore}, {@code
 * MessageHandler}, {@code InboundMessage}).
 */
@AnalyzeClasses(
    packages = "org.example.helpdesk",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  private static final String HELPDESK = "org.example.helpdesk";

  /** The packages of platform-persistence: Pekko on PostgreSQL, nothing about a node. */
  private static final String[] PLATFORM_PERSISTENCE = {
    "..platform.changefeed..",
    "..platform.persistence..",
    "..platform.db..",
    "..platform.concurrent..",
    "..platform.domain..",
    "..platform.support.."
  };

  /** The packages of platform-node: how a node starts and serves. */
  private static final String[] PLATFORM_NODE = {
    HELPDESK + ".platform",
    "..platform.config..",
    "..platform.http..",
    "..platform.logging..",
    "..platform.metrics..",
    "..platform.tracing..",
    "..platform.web..",
    "..platform.cluster..",
    "..platform.projection.."
  };

  private static final String[] NODES = {HELPDESK + ".customer..", HELPDESK + ".backoffice.."};

  private static final String[] PEKKO = {"org.apache.pekko.."};
  private static final String[] RABBITMQ = {"com.rabbitmq.."};
  private static final String[] JACKSON = {"com.fasterxml.jackson.."};
  private static final String[] JDBC = {
    "java.sql..", "javax.sql..", "org.postgresql..", "com.zaxxer.."
  };
  private static final String[] HTTP = {
    "org.apache.pekko.http..", "java.net.http..", "com.sun.net.httpserver.."
  };

  @ArchTest
  static final ArchRule protocolIsTheContractOnly =
      noClasses()
          .that()
          .resideInAPackage(HELPDESK + ".protocol..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              all(
                  PEKKO,
                  RABBITMQ,
                  JDBC,
                  HTTP,
                  new String[] {HELPDESK + ".amqp.."},
                  platform(),
                  NODES))
          .because(
              "protocol is the contract between the services (records, codec, topology names); the"
                  + " transport that carries it is the amqp module's");

  @ArchTest
  static final ArchRule amqpKnowsNoNode =
      noClasses()
          .that()
          .resideInAPackage(HELPDESK + ".amqp..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(all(platform(), NODES, new String[] {HELPDESK + ".launcher.."}))
          .because("the AMQP stages carry the protocol for any node, and know none");

  @ArchTest
  static final ArchRule persistenceKnowsNoNode =
      noClasses()
          .that()
          .resideInAnyPackage(PLATFORM_PERSISTENCE)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(all(PLATFORM_NODE, NODES, new String[] {HELPDESK + ".amqp.."}))
          .because(
              "platform-persistence is a library of Pekko on PostgreSQL; platform-node is built on"
                  + " it, never the other way round");

  @ArchTest
  static final ArchRule everyPlatformPackageBelongsToOneModule =
      classes()
          .that()
          .resideInAPackage(HELPDESK + ".platform..")
          .should()
          .resideInAnyPackage(platform())
          .because("a new platform package is placed in platform-persistence or platform-node");

  @ArchTest
  static final ArchRule platformKnowsNoService =
      noClasses()
          .that()
          .resideInAPackage(HELPDESK + ".platform..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(NODES)
          .because("the platform serves any node");

  @ArchTest
  static final ArchRule theServicesShareOnlyTheProtocol =
      noClasses()
          .that()
          .resideInAPackage(HELPDESK + ".customer..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage(HELPDESK + ".backoffice..")
          .orShould()
          .dependOnClassesThat()
          .resideInAPackage(HELPDESK + ".launcher..");

  @ArchTest
  static final ArchRule theBackofficeKnowsNoCustomerService =
      noClasses()
          .that()
          .resideInAPackage(HELPDESK + ".backoffice..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage(HELPDESK + ".customer..")
          .orShould()
          .dependOnClassesThat()
          .resideInAPackage(HELPDESK + ".launcher..");

  @ArchTest
  static final ArchRule noCyclesInTheCustomerNode =
      slices().matching(HELPDESK + ".customer.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule noCyclesInTheBackofficeNode =
      slices().matching(HELPDESK + ".backoffice.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule noCyclesInThePlatform =
      slices().matching(HELPDESK + ".platform.(*)..").should().beFreeOfCycles();

  private static final String BACKOFFICE = HELPDESK + ".backoffice";

  @ArchTest
  static final ArchRule theTicketKnowsNoOtherFeature =
      noClasses()
          .that()
          .resideInAPackage(BACKOFFICE + ".ticket")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              BACKOFFICE + ".inbox..",
              BACKOFFICE + ".deadletter..",
              BACKOFFICE + ".console..",
              BACKOFFICE + ".auth..",
              BACKOFFICE + ".ticket.web..")
          .because("the ticket is the core the other features use, never the other way round");

  @ArchTest
  static final ArchRule theInboxKnowsNoDeadLetterStoreNorPages =
      noClasses()
          .that()
          .resideInAPackage(BACKOFFICE + ".inbox..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              BACKOFFICE + ".deadletter..",
              BACKOFFICE + ".console..",
              BACKOFFICE + ".auth..",
              BACKOFFICE + ".ticket.web..")
          .because("the inbox hands what fails to the DeadLetterStore interface it owns");

  @ArchTest
  static final ArchRule deadLettersReachTheInboxOnlyThroughItsNamedInterfaces =
      noClasses()
          .that()
          .resideInAPackage(BACKOFFICE + ".deadletter..")
          .should()
          .dependOnClassesThat(
              com.tngtech.archunit.base.DescribedPredicate.describe(
                  "inbox classes other than DeadLetterStore, MessageHandler, InboundMessage",
                  c ->
                      c.getPackageName().equals(BACKOFFICE + ".inbox")
                          && !c.getSimpleName()
                              .matches("DeadLetterStore|MessageHandler|InboundMessage")
                          && !c.getName()
                              .matches(
                                  ".*\\.inbox\\.(DeadLetterStore|MessageHandler|InboundMessage)\\$.*")));

  /**
   * The rules of the two services: {@code Issue} and {@code Ticket} with their nested commands,
   * events and state, in their feature's package or a package below it.
   */
  @ArchTest
  static final ArchRule theRulesKnowNoFramework =
      noClasses()
          .that()
          .haveNameMatching(
              "org\\.example\\.helpdesk\\.customer\\.issue(\\.\\w+)*\\.Issue(\\$.*)?"
                  + "|org\\.example\\.helpdesk\\.backoffice\\.ticket(\\.\\w+)*\\.Ticket(\\$.*)?")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(all(PEKKO, JACKSON, JDBC, HTTP))
          .because("the rules are plain Java: commands, events, state, decide and evolve");

  private static String[] platform() {
    return all(PLATFORM_PERSISTENCE, PLATFORM_NODE);
  }

  private static String[] all(String[]... groups) {
    return Arrays.stream(groups).flatMap(Stream::of).toArray(String[]::new);
  }
}
