//! The pytest project: `conftest.py` (variables from environment variables, the client
//! fixture: httpx, FastAPI's `TestClient` or Flask's test client, OAuth 2.0 tokens fetched once),
//! one test module with a test per request (a class per folder, in order, sharing what they
//! capture), the bundled `sextant_support.py`, `requirements.txt` and `README.md`.

mod conftest;
mod contracts;
mod module;
mod project;
mod step;

use sextant_model::ConversionWarning;

use crate::contract::OperationContract;
use crate::names::{non_empty, snake};
use crate::plan::Plan;
use crate::GeneratedFile;

const SUPPORT: &str = include_str!("../assets/sextant_support.py");

/// Where the tests send their requests.
pub(crate) enum Target {
    Live,
    TestClient(String),
    Flask(String),
}

pub(crate) fn generate(
    plan: &Plan,
    target: &Target,
    contracts: &[OperationContract],
    warnings: &mut Vec<ConversionWarning>,
) -> Vec<GeneratedFile> {
    let contracts = contracts::ContractFiles::new(plan, contracts);
    let module = format!(
        "test_{}.py",
        non_empty(snake(&plan.collection), "collection")
    );
    let file = |path: &str, contents: String| GeneratedFile {
        path: path.to_owned(),
        contents,
        executable: false,
    };
    let checked = !contracts.is_empty();
    let mut files = vec![
        file("conftest.py", conftest::conftest(plan, target)),
        file(&module, module::tests(plan, &contracts, warnings)),
        file("sextant_support.py", SUPPORT.to_owned()),
        file("requirements.txt", project::requirements(target, checked)),
        file("README.md", project::readme(plan, target, &module, checked)),
    ];
    files.extend(contracts.files);
    files
}
