using ReviewBot.Core.Risk.Rules;

namespace ReviewBot.Core.Risk;

/// <summary>Every risk rule, in id order: the analyzer's default set, the docs' table and the tests' checklist.</summary>
public static class RiskRuleCatalog
{
    public static IReadOnlyList<IRiskRule> Rules { get; } = new IRiskRule[]
    {
        new AuthorizationRemovedRule(),
        new AnonymousAccessAddedRule(),
        new CsrfProtectionDisabledRule(),
        new PermissiveCorsRule(),
        new InsecureCookieRule(),
        new JwtValidationWeakenedRule(),
        new TlsValidationDisabledRule(),
        new WeakHashRule(),
        new WeakCipherRule(),
        new WeakCipherModeRule(),
        new MissingEncryptionStepRule(),
        new InsecureRandomRule(),
        new HardCodedCredentialRule(),
        new CleartextCredentialTransmissionRule(),
        new DeprecatedTlsProtocolRule(),
        new SqlFromNonConstantStringRule(),
        new ProcessStartRule(),
        new DynamicCodeExecutionRule(),
        new DynamicAssemblyLoadingRule(),
        new ReflectionFromStringsRule(),
        new PathTraversalRule(),
        new ArchiveExtractionRule(),
        new InsecureDeserializerRule(),
        new PolymorphicTypeNameHandlingRule(),
        new XmlExternalEntitiesRule(),
        new XsltScriptingRule(),
        new LdapInjectionRule(),
        new RawHtmlOutputRule(),
        new XPathInjectionRule(),
        new HeaderInjectionRule(),
        new OpenRedirectRule(),
        new LogForgingRule(),
        new ExceptionDetailsToClientRule(),
        new ServerSideRequestForgeryRule(),
        new BackdoorHeuristicsRule(),
        new UnsafeCodeRule(),
        new NativeInteropRule(),
        new AsyncVoidRule(),
        new SyncOverAsyncRule(),
        new LockRemovedRule(),
        new SwallowedExceptionRule(),
        new ProcessExitRule(),
        new PublicApiRemovedRule(),
        new PublicApiChangedRule(),
        new SuppressionAddedRule(),
        new AnalyzerSeverityLoweredRule(),
        new TestSkippedRule(),
        new AssertionsRemovedRule(),
        new TestsDeletedRule(),
        new PackageReferenceChangedRule(),
        new BuildConfigurationChangedRule(),
        new PackageSourcesChangedRule(),
        new CiPipelineChangedRule(),
        new ReviewRulesChangedRule(),
        new SensitiveFileChangedRule(),
        new ComplexityRaisedRule(),
        new LargeChangeRule(),
        new NotAnalysableRule(),
    }.OrderBy(r => r.Descriptor.Id, StringComparer.Ordinal).ToArray();

    public static IReadOnlyList<RuleDescriptor> Descriptors { get; } = Rules.Select(r => r.Descriptor).ToArray();

    public static RuleDescriptor? Find(string id)
        => Descriptors.FirstOrDefault(d => string.Equals(d.Id, id, StringComparison.OrdinalIgnoreCase));
}
