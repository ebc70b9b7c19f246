package registry_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/technopolys/technopolys/internal/registry"
)

func TestStaffValidate(t *testing.T) {
	for _, tt := range []struct {
		email, name string
		field, rule string
	}{
		{email: " Julie.Roy@Technopolys.EXAMPLE ", name: " Julie Roy "},
		{email: "", name: "Julie", field: "email", rule: registry.RuleRequired},
		{email: "julie", name: "Julie", field: "email", rule: registry.RuleEmail},
		{email: "Julie <julie@technopolys.example>", name: "Julie", field: "email", rule: registry.RuleEmail},
		{email: "julie@technopolys.example", name: "", field: "name", rule: registry.RuleRequired},
		{email: "julie@technopolys.example", name: strings.Repeat("é", registry.MaxNameLen+1), field: "name", rule: registry.RuleTooLong},
		{email: "julie@technopolys.example", name: "Julie\x00", field: "name", rule: registry.RuleControl},
	} {
		st := &registry.Staff{Email: tt.email, Name: tt.name}
		err := st.Validate()
		if tt.field == "" {
			if err != nil || st.Email != "julie.roy@technopolys.example" || st.Name != "Julie Roy" {
				t.Errorf("%q %q: %+v, %v", tt.email, tt.name, st, err)
			}
			continue
		}
		var iv *registry.Invalid
		if !errors.As(err, &iv) || iv.Field(tt.field) != tt.rule {
			t.Errorf("%q %q: %v, want %s: %s", tt.email, tt.name, err, tt.field, tt.rule)
		}
	}
}
