package amo

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkDecodeLeadsPage measures decoding alone: a 250-lead page with custom fields,
// contacts and a loss reason.
func BenchmarkDecodeLeadsPage(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"_page":1,"_links":{"next":{"href":"x"}},"_embedded":{"leads":[`)
	for i := range 250 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"id":%d,"name":"Lead %d","price":1000,"responsible_user_id":5,"group_id":0,"status_id":143,"pipeline_id":1,"loss_reason_id":null,"created_by":5,"updated_by":5,"created_at":1700000000,"updated_at":1700000100,"closed_at":1700000100,"closest_task_at":null,"is_deleted":false,"custom_fields_values":[{"field_id":3,"field_name":"Source","field_code":null,"field_type":"select","values":[{"value":"Site","enum_id":1}]},{"field_id":4,"field_name":"Budget","field_type":"numeric","values":[{"value":1500}]}],"score":null,"account_id":1,"_links":{"self":{"href":"https://example.amocrm.ru/api/v4/leads/%d"}},"_embedded":{"tags":[],"companies":[],"contacts":[{"id":%d,"is_main":true}],"loss_reason":[{"id":7,"name":"Expensive"}]}}`, i+1, i+1, i+1, i+100000)
	}
	sb.WriteString("]}}")
	body := []byte(sb.String())
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := decodeLeads(body, &Changes{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(250*b.N)/b.Elapsed().Seconds(), "items/s")
}
