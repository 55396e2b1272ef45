//! Keeping generated files short: modules whose estimated length passes a budget have their
//! models moved into `<module>_models.rs` files (split again when one would still be long),
//! and modules left with nothing to hold are dropped.

use std::collections::BTreeMap;

use crate::plan::{ModelPlan, ResourcePlan};

/// Estimated formatted lines above which a module's models move to files of their own.
const MODULE_BUDGET: usize = 1200;
/// Estimated formatted lines of one file of models.
const MODELS_BUDGET: usize = 1100;

/// Returns the estimated formatted length of a model and its enums.
fn model_lines(model: &ModelPlan) -> usize {
    let fields: usize = model
        .fields
        .iter()
        .map(|field| {
            if field.ident.len() + field.wire.len() > 60 {
                6
            } else {
                3
            }
        })
        .sum();
    let enums: usize = model
        .enums
        .iter()
        .map(|item| 5 + 2 * item.variants.len())
        .sum();
    12 + fields + enums
}

/// Returns the estimated formatted length of a resource handle and its builders.
fn resource_lines(resource: &ResourcePlan) -> usize {
    let ops: usize = resource
        .ops
        .iter()
        .map(|op| {
            let list = op
                .list
                .as_ref()
                .map_or(0, |list| 8 + 5 * list.setters.len());
            let options = match (&op.options, op.shared_options) {
                (Some(options), false) => 8 + 8 * options.params.len(),
                _ => 0,
            };
            18 + 12 * op.variants.len() + list + options
        })
        .sum();
    if resource.ops.is_empty() { 0 } else { 15 + ops }
}

/// Moves the models of long modules into `<module>_models` files and returns the final module
/// list, in the order of `modules`, without modules that hold nothing.
pub fn split_modules(
    models: &mut [ModelPlan],
    resources: &[ResourcePlan],
    modules: &[String],
) -> Vec<String> {
    let mut out = Vec::new();
    for module in modules {
        let handles: usize = resources
            .iter()
            .filter(|r| &r.module == module)
            .map(resource_lines)
            .sum();
        let model_total: usize = models
            .iter()
            .filter(|m| &m.module == module)
            .map(model_lines)
            .sum();
        if handles > 0 || model_total > 0 {
            out.push(module.clone());
        }
        if handles + model_total <= MODULE_BUDGET || model_total == 0 {
            continue;
        }
        let mut part = 1;
        let mut used = 0;
        let mut parts: BTreeMap<usize, String> = BTreeMap::new();
        for model in models.iter_mut().filter(|m| &m.module == module) {
            let lines = model_lines(model);
            if used > 0 && used + lines > MODELS_BUDGET {
                part += 1;
                used = 0;
            }
            used += lines;
            let name = if part == 1 {
                format!("{module}_models")
            } else {
                format!("{module}_models_{part}")
            };
            parts.entry(part).or_insert_with(|| name.clone());
            model.module = name;
        }
        if handles == 0 {
            out.retain(|m| m != module);
        }
        out.extend(parts.into_values());
    }
    out
}
