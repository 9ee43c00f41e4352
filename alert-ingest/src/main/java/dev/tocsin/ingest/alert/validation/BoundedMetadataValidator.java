package dev.tocsin.ingest.alert.validation;

import dev.tocsin.ingest.config.IngestConfig;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Provider;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

import java.util.List;
import java.util.Map;

/**
 * A CDI bean so that the limits come from configuration. The configuration is read on first use: Hibernate
 * Validator may create validators during static initialisation, before runtime configuration exists.
 */
@Dependent
public class BoundedMetadataValidator implements ConstraintValidator<BoundedMetadata, Map<String, Object>> {

    private final Provider<IngestConfig> config;
    private volatile MetadataLimits limits;

    public BoundedMetadataValidator(Provider<IngestConfig> config) {
        this.config = config;
    }

    private MetadataLimits limits() {
        MetadataLimits current = limits;
        if (current == null) {
            current = MetadataLimits.from(config.get().metadata());
            limits = current;
        }
        return current;
    }

    @Override
    public boolean isValid(Map<String, Object> value, ConstraintValidatorContext context) {
        if (value == null) {
            return true;
        }
        List<String> problems = limits().check(value);
        if (problems.isEmpty()) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        for (String problem : problems) {
            context.buildConstraintViolationWithTemplate(problem.replace("{", "\\{").replace("}", "\\}").replace("$", "\\$"))
                    .addConstraintViolation();
        }
        return false;
    }
}
