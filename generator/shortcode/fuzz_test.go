package shortcode

import (
	"strings"
	"testing"
)

// FuzzRender feeds any body to Render: it must never panic, and nothing a
// reader sees may hold a placeholder.
func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"{{< figure src=\"/images/a.jpg\" caption=\"x\" >}}",
		"{{% notice a %}}\n*x* {{< param nam >}}\n{{% /notice %}}",
		"{{< notice a >}}{{< notice b >}}x{{< /notice >}}",
		"{{</* x */>}} `{{< y >}}` {{< /z >}} {{< a %}}",
		"## H {{< param tinh >}}\n\n![{{< param nam >}}]({{< ref \"x.md\" >}})",
		"{{< highlight go >}}\n{{< x >}}\n{{< /highlight >}}",
		"{{< x \"a\\\"b\" `c` d=e >}} {{<",
	} {
		f.Add(s)
	}
	sets := testSets(f)
	f.Fuzz(func(t *testing.T, src string) {
		for _, name := range []string{"", "unsafe"} {
			res := sets[name].Render(testDoc(src))
			if strings.Contains(src, "sxshph") {
				continue // the key then differs from the one checked
			}
			assertNoPlaceholder(t, res)
		}
	})
}
