pub(crate) fn import(_inputs: &[crate::Input], _report: &mut crate::Report) -> Option<crate::plan::PlanBuilder> { None }
